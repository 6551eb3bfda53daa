/**
 * Where each statement of a policy document sits in its text (1-based line and column of
 * its first and last character), as IAM's simulator reports MatchedStatements. A small
 * JSON scanner: strings and nesting are tracked, nothing is evaluated.
 */
export interface Position { Line: number; Column: number }
export interface StatementSpan { StartPosition: Position; EndPosition: Position }

export function statementSpans(text: string): StatementSpan[] {
  let line = 1;
  let col = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let lastKey: string | undefined;
  let keyStart = -1;
  let statementDepth = -1;
  let statementIsArray = false;
  let current: Position | undefined;
  const spans: StatementSpan[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      col = 0;
      continue;
    }
    col++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        lastKey = text.slice(keyStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      keyStart = i;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      // The value of the top-level "Statement" key: an array of statements or one object.
      if (statementDepth < 0 && depth === 2 && lastKey === 'Statement') {
        statementDepth = depth;
        statementIsArray = c === '[';
        if (!statementIsArray) current = { Line: line, Column: col };
      } else if (statementIsArray && depth === statementDepth + 1 && c === '{') {
        current = { Line: line, Column: col };
      }
      continue;
    }
    if (c === '}' || c === ']') {
      if (current && ((statementIsArray && depth === statementDepth + 1) || (!statementIsArray && depth === statementDepth))) {
        spans.push({ StartPosition: current, EndPosition: { Line: line, Column: col } });
        current = undefined;
      }
      if (depth === statementDepth) statementDepth = Number.MAX_SAFE_INTEGER;
      depth--;
      continue;
    }
    if (c === ':' || c === ',') continue;
  }
  return spans;
}
