import { parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

/** Where an ICU message is broken and what is wrong, for the person who wrote it: "line 1, column 12: unclosed brace". */
export type MessageProblem = { line: number; column: number; problem: string; message: string };

export type ParsedMessage = { ok: true; elements: MessageFormatElement[] } | { ok: false; problem: MessageProblem };

/** The parser's ErrorKind names (it throws a SyntaxError whose message is one of them), in words. */
const problems: Record<string, string> = {
  EXPECT_ARGUMENT_CLOSING_BRACE: "unclosed brace",
  EMPTY_ARGUMENT: "empty braces; put a variable name inside",
  MALFORMED_ARGUMENT: "not a variable name (letters, digits and underscores)",
  EXPECT_ARGUMENT_TYPE: "expected plural, select, selectordinal, number, date or time after the comma",
  INVALID_ARGUMENT_TYPE: "unknown argument type; use plural, select, selectordinal, number, date or time",
  EXPECT_ARGUMENT_STYLE: "expected a style after the comma",
  INVALID_NUMBER_SKELETON: "invalid number format",
  INVALID_DATE_TIME_SKELETON: "invalid date format",
  EXPECT_NUMBER_SKELETON: "expected a number format after ::",
  EXPECT_DATE_TIME_SKELETON: "expected a date format after ::",
  UNCLOSED_QUOTE_IN_ARGUMENT_STYLE: "unclosed quote",
  EXPECT_SELECT_ARGUMENT_OPTIONS: "select needs options such as other {…}",
  EXPECT_PLURAL_ARGUMENT_OFFSET_VALUE: "expected a number after offset:",
  INVALID_PLURAL_ARGUMENT_OFFSET_VALUE: "the offset must be a whole number",
  EXPECT_SELECT_ARGUMENT_SELECTOR: "expected a select option such as other {…}",
  EXPECT_PLURAL_ARGUMENT_SELECTOR: "expected a plural option such as one {…}, other {…} or =0 {…}",
  EXPECT_SELECT_ARGUMENT_SELECTOR_FRAGMENT: "expected {text} after the option",
  EXPECT_PLURAL_ARGUMENT_SELECTOR_FRAGMENT: "expected {text} after the option",
  INVALID_PLURAL_ARGUMENT_SELECTOR: "the number after = is too large",
  DUPLICATE_PLURAL_ARGUMENT_SELECTOR: "the same plural option appears twice",
  DUPLICATE_SELECT_ARGUMENT_SELECTOR: "the same select option appears twice",
  MISSING_OTHER_CLAUSE: "missing the other {…} option",
};

/**
 * Parses an ICU MessageFormat body as templates use it: tags are plain text
 * (chat messages are not markup, so "<b>" and "a < b" are written as they are),
 * and plural and select need their `other` option.
 */
export function parseMessage(body: string): ParsedMessage {
  try {
    return { ok: true, elements: parse(body, { captureLocation: true, ignoreTag: true, requiresOtherClause: true }) };
  } catch (error) {
    const { location } = error as { location?: { start: { line: number; column: number } } };
    const kind = (error as Error).message;
    const line = location?.start.line ?? 1;
    const column = location?.start.column ?? 1;
    const problem = problems[kind] ?? `not valid ICU MessageFormat (${kind})`;
    return { ok: false, problem: { line, column, problem, message: `line ${line}, column ${column}: ${problem}` } };
  }
}
