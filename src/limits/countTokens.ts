import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Counts the lexical tokens of a GraphQL document, stopping as soon as there are more than `max`.
 * Lexing is linear and allocates one small token at a time, so a 100,000-token document costs only
 * as much as its first `max + 1` tokens before it is refused; parsing (which builds the whole AST)
 * never starts. A document the lexer cannot read counts what it read so far: the parser reports the
 * syntax error itself.
 */
export function countTokens(text: string, max: number): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) return count;
    }
  } catch {
    // A syntax error: leave it to the parser, which names the line and column.
  }
  return count;
}
