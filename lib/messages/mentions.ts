import type { Mention } from "./content";

/** A member who can be mentioned: their id and the name the note shows after "@". */
export type Mentionable = { userId: string; name: string };

const wordChar = /[\p{L}\p{N}_]/u;

/**
 * The mentions of a note as stored: every "@Name" of a member chosen in the picker that is still
 * in the text (deleting the chip's text deletes the mention), longest names first so "@Sam" does
 * not take "@Samantha", whole words only, none overlapping, in text order.
 */
export function mentionsIn(text: string, chosen: Mentionable[]): Mention[] {
  const found: Mention[] = [];
  const taken = (offset: number, length: number) => found.some((m) => offset < m.offset + m.length && m.offset < offset + length);
  for (const member of [...chosen].sort((a, b) => b.name.length - a.name.length)) {
    const token = `@${member.name}`;
    for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
      const after = text[at + token.length];
      const before = text[at - 1];
      if ((after && wordChar.test(after)) || (before && wordChar.test(before)) || taken(at, token.length)) continue;
      found.push({ userId: member.userId, offset: at, length: token.length });
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** The "@query" being typed just before the caret (null: none), and where it starts. */
export function mentionQuery(text: string, caret: number): { query: string; start: number } | null {
  const match = /(?:^|\s)@([\p{L}\p{N}._-]{0,30})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { query: match[1]!, start: caret - match[1]!.length - 1 };
}

/** A note's text cut into plain runs and mentions, for showing mentions as chips. */
export function splitMentions(text: string, mentions: Mention[] | undefined): ({ text: string } | { text: string; userId: string })[] {
  const parts: ({ text: string } | { text: string; userId: string })[] = [];
  let at = 0;
  for (const mention of [...(mentions ?? [])].sort((a, b) => a.offset - b.offset)) {
    if (mention.offset < at || mention.offset + mention.length > text.length) continue;
    if (mention.offset > at) parts.push({ text: text.slice(at, mention.offset) });
    parts.push({ text: text.slice(mention.offset, mention.offset + mention.length), userId: mention.userId });
    at = mention.offset + mention.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
