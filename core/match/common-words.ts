import { COMMON_WORDS_TEXT } from "./common-words-data.ts";

let words: Set<string> | undefined;

/**
 * Whether a lower-case word is a common English word (SCOWL's common sizes), including its inflected forms:
 * "box", "boxes", "fronted", "notions". A company named by such a word alone ("Box", "Front", "Notion") is not
 * looked for in free text, where the word mostly means itself.
 */
export function isCommonWord(word: string): boolean {
  // Built on first use: the list costs memory only where names are indexed (the background), never in a page.
  words ??= new Set(COMMON_WORDS_TEXT.split(/\s+/).filter((w) => w !== ""));
  if (words.has(word)) return true;
  const stems: string[] = [];
  if (word.endsWith("s")) stems.push(word.slice(0, -1));
  if (word.endsWith("es")) stems.push(word.slice(0, -2));
  if (word.endsWith("ed")) stems.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith("ing")) stems.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  if (word.endsWith("ly")) stems.push(word.slice(0, -2));
  return stems.some((s) => s.length >= 2 && words?.has(s));
}
