import fs from 'node:fs';
import path from 'node:path';
import type { Express, Request, RequestHandler } from 'express';

/**
 * The development explorer: GraphiQL served from the installed packages' own files, so it works on a
 * machine with no internet (council networks often have none). Nothing is fetched from a CDN; the
 * Content-Security-Policy allows this origin only, so a page that tried would be refused by the browser.
 * The caller's token goes in GraphiQL's headers editor, like any other client's.
 */
const ASSET_PREFIX = '/explorer-assets';

function packageFile(name: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
}

const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

/** Starts GraphiQL (a separate script: the page's policy allows no inline script). */
const START_SCRIPT = `(function start() {
  var headers = { authorization: 'Bearer <paste the output of: npm run -s token -- --role practitioner --tier 1 --unit CU1>' };
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: '/graphql' }),
      defaultHeaders: JSON.stringify(headers, null, 2),
      defaultQuery: '# Put your token in Headers below (and x-purpose for tier 2/3 data), then run:\\n{ gatewayInfo { version sources yourTier yourPurposes { id } } }\\n',
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
})();
`;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL sets element styles from script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Youth services gateway: explorer</title>
  <link rel="stylesheet" href="${ASSET_PREFIX}/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #explorer { height: 100vh; }</style>
</head>
<body>
  <div id="explorer">Loading the explorer...</div>
  <script src="${ASSET_PREFIX}/react.js"></script>
  <script src="${ASSET_PREFIX}/react-dom.js"></script>
  <script src="${ASSET_PREFIX}/graphiql.js"></script>
  <script src="${ASSET_PREFIX}/explorer.js"></script>
</body>
</html>`;

/** A browser asking for a page (not a GraphQL client asking for JSON). */
function wantsPage(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html' && req.query.query === undefined;
}

export function explorerRoutes(app: Express): void {
  app.get(`${ASSET_PREFIX}/explorer.js`, (_req, res) => {
    res.set({ 'content-type': 'text/javascript', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).send(START_SCRIPT);
  });
  app.get(`${ASSET_PREFIX}/:name`, (req, res, next) => {
    const asset = ASSETS[req.params.name!];
    if (!asset) return next();
    res.set({ 'content-type': asset.type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
    fs.createReadStream(asset.file).on('error', next).pipe(res);
  });
  const page: RequestHandler = (req, res, next) => {
    if (!wantsPage(req)) return next();
    res.set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' });
    res.send(PAGE);
  };
  app.get('/', page);
  app.get('/graphql', page);
}
