// Text normalisation shared by every model: one canonical form so that "Ёлка", "ёлка" and "елка",
// or two different phone numbers, look the same to the features. Personal data (e-mails, phones)
// is replaced by a mask token, so it never becomes a feature and never reaches a stored model.

/** Tokens that stand in for masked spans; they survive tokenisation and are never stemmed. */
export const MASK = {
  url: '_url_',
  email: '_email_',
  phone: '_phone_',
  number: '_num_',
  mention: '_user_',
} as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL =
  /\b(?:https?:\/\/|www\.)[^\s<>"]+|\b[\p{L}\p{N}-]+\.(?:ru|рф|com|net|org|io|su|info|biz|me)\b(?:\/[^\s<>"]*)?/gu;
// A phone is a run of at least ten digits with the usual separators, so that amounts ("1 500")
// and dates stay numbers; it must be masked before numbers are.
const PHONE = /(?:\+\s?)?\d(?:[\s()-]*\d){9,14}/g;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const MENTION = /@[\p{L}\p{N}_]+/gu;
// Three or more of the same mark say no more than two ("!!!!!" is "!!"), and fewer variants
// means each is seen more often in training.
const REPEATED_MARK = /([!?()])\1{2,}/g;

/** Lower-cases, folds ё to е and curly apostrophes, masks URLs, e-mails, mentions, phones and numbers. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[’ʼ`]/g, "'")
    .replace(EMAIL, ` ${MASK.email} `)
    .replace(URL, ` ${MASK.url} `)
    .replace(MENTION, ` ${MASK.mention} `)
    .replace(PHONE, ` ${MASK.phone} `)
    .replace(NUMBER, ` ${MASK.number} `)
    .replace(REPEATED_MARK, '$1$1')
    .replace(/\s+/g, ' ')
    .trim();
}
