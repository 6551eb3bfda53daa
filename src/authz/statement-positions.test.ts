import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statementSpans } from './statement-positions.js';

test('spans of statements in an array, across lines', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {\n      "Effect": "Deny",\n      "Action": "s3:Delete*",\n      "Resource": "*"\n    }\n  ]\n}';
  const spans = statementSpans(text);
  assert.equal(spans.length, 2);
  assert.deepEqual(spans[0], { StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 4, Column: 58 } });
  assert.deepEqual(spans[1]!.StartPosition, { Line: 5, Column: 5 });
  assert.deepEqual(spans[1]!.EndPosition, { Line: 9, Column: 5 });
});

test('a single statement object, and braces inside strings', () => {
  const text = '{"Version":"2012-10-17","Statement":{"Sid":"a{b}[c]","Effect":"Allow","Action":"*","Resource":"*"}}';
  const spans = statementSpans(text);
  assert.equal(spans.length, 1);
  assert.deepEqual(spans[0]!.StartPosition, { Line: 1, Column: 37 });
  assert.deepEqual(spans[0]!.EndPosition, { Line: 1, Column: text.length - 1 });
});
