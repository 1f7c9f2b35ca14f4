import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';
import { findChromium, HeadlessChromium } from './chromium';

/**
 * The development explorer in a real browser: GraphiQL loads from the gateway alone (Chromium here has
 * no route to any other host), a query runs with the caller's token typed into its headers editor, and
 * the answer shows. Skipped, saying so, where no Chromium is installed (`apt-get install chromium`).
 */
const chromium = findChromium();
const SCREENSHOT = process.env.EXPLORER_SCREENSHOT ?? path.join(os.tmpdir(), 'gateway-explorer.png');

describe('the explorer', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 50 });
  });
  afterAll(() => gateway.stop());

  test('GET / and GET /graphql from a browser serve the explorer page with a same-origin-only policy; JSON clients still get GraphQL', async () => {
    for (const route of ['/', '/graphql']) {
      const page = await fetch(`${gateway.url}${route}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('/explorer-assets/graphiql.js');
      expect(html).not.toMatch(/https?:\/\//);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js', 'explorer.js']) {
      expect((await fetch(`${gateway.url}/explorer-assets/${asset}`)).status).toBe(200);
    }
    const json = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(400);
  });

  test('production serves no explorer', () => {
    const config = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40), DOCUMENT_LINK_SECRET: 'd'.repeat(40), AUDIT_CHECKPOINT_SECRET: 'a'.repeat(40) });
    expect(config.explorer).toBe(false);
    expect(loadConfig({}).explorer).toBe(true);
  });

  // Skipped where no Chromium is installed (.ci/run installs Debian's chromium, so CI runs it).
  const inChromium = chromium ? test : test.skip;
  if (!chromium) console.warn('Skipping the explorer check in Chromium: no chromium installed (apt-get install -y chromium)');

  inChromium('in headless Chromium with no internet, GraphiQL loads and runs a query with the token typed into its headers', async () => {
    const browser = HeadlessChromium.launch(chromium!);
    try {
      const page = await browser.newPage();
      await page('Network.enable');
      await page('Page.enable');
      await page('Page.navigate', { url: `${gateway.url}/` });
      const evaluate = async (expression: string) =>
        ((await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result as { result: { value: unknown } }).result.value;
      const waitFor = async (expression: string, what: string) => {
        for (let i = 0; i < 100; i += 1) {
          if (await evaluate(expression)) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`timed out waiting for ${what}: ${String(await evaluate("document.body.innerText.slice(0, 500)"))}`);
      };
      await waitFor("!!document.querySelector('.graphiql-execute-button')", 'GraphiQL to render');

      const token = await gateway.token({ roles: ['practitioner'], tier: 1, units: ['CU1'] });
      await evaluate(`(() => {
        const editor = (selector) => document.querySelector(selector).CodeMirror;
        editor('.graphiql-query-editor .CodeMirror').setValue('{ gatewayInfo { sources yourTier } }');
        const tools = [...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')];
        const headers = tools.find((e) => !e.classList.contains('hidden')).querySelector('.CodeMirror');
        headers.CodeMirror.setValue(JSON.stringify({ authorization: 'Bearer ${token}' }));
      })()`);
      // GraphiQL takes an edit into its state after a short debounce; click as a person would, a moment later.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await evaluate("document.querySelector('.graphiql-execute-button').click()");
      await waitFor("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue().includes('yourTier')", 'the answer');
      const answer = JSON.parse(String(await evaluate("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"))) as {
        data: { gatewayInfo: { sources: string[]; yourTier: number } };
      };
      expect(answer.data.gatewayInfo).toEqual({ sources: ['IYSS', 'UMIS', 'YOIS', 'DMS'], yourTier: 1 });

      const shot = await page('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(SCREENSHOT, Buffer.from(shot.result!.data as string, 'base64'));

      // Everything the page asked for came from the gateway itself.
      const requested = browser.events
        .filter((event) => event.method === 'Network.requestWillBeSent')
        .map((event) => (event.params!.request as { url: string }).url);
      expect(requested.length).toBeGreaterThan(4);
      expect(requested.filter((url) => !url.startsWith(gateway.url) && !url.startsWith('data:'))).toEqual([]);
      const failed = browser.events.filter((event) => event.method === 'Network.loadingFailed');
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
