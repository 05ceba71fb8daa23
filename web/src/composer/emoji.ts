// The emoji the picker offers: the few dozen support teams use, each with Russian and English
// words to search by. A picker library (emoji-mart, emoji-picker-react) ships the whole Unicode set
// with its names, 200–400 KB, or fetches it from a CDN at run time, which a self-hosted install
// without internet cannot: this list is under 3 KB.
export interface Emoji {
  char: string;
  words: string;
}

export const EMOJI: readonly Emoji[] = [
  { char: '😊', words: 'smile улыбка happy рад' },
  { char: '🙂', words: 'slight smile улыбка' },
  { char: '😀', words: 'grin радость' },
  { char: '😉', words: 'wink подмигнуть' },
  { char: '😅', words: 'sweat phew уф' },
  { char: '😂', words: 'laugh tears смех' },
  { char: '🤔', words: 'thinking думаю' },
  { char: '😔', words: 'sad pensive грусть' },
  { char: '😢', words: 'cry плачу' },
  { char: '😮', words: 'wow surprise удивление' },
  { char: '🙏', words: 'please thanks спасибо пожалуйста' },
  { char: '👍', words: 'ok yes like да хорошо' },
  { char: '👎', words: 'no dislike нет' },
  { char: '👋', words: 'hello bye привет пока' },
  { char: '👌', words: 'ok perfect отлично' },
  { char: '🤝', words: 'deal handshake договорились' },
  { char: '👏', words: 'clap браво' },
  { char: '💪', words: 'strong сила' },
  { char: '❤️', words: 'heart love сердце' },
  { char: '🔥', words: 'fire огонь' },
  { char: '⭐', words: 'star звезда' },
  { char: '✨', words: 'sparkles блеск' },
  { char: '🎉', words: 'party congratulations поздравляю праздник' },
  { char: '🎁', words: 'gift подарок' },
  { char: '✅', words: 'done check готово' },
  { char: '❌', words: 'cross no ошибка' },
  { char: '⚠️', words: 'warning внимание' },
  { char: '❗', words: 'important важно' },
  { char: '❓', words: 'question вопрос' },
  { char: '⏳', words: 'wait hourglass ждать' },
  { char: '⏰', words: 'time alarm время' },
  { char: '📅', words: 'calendar date дата календарь' },
  { char: '📦', words: 'package delivery посылка доставка заказ' },
  { char: '🚚', words: 'truck delivery доставка' },
  { char: '🛒', words: 'cart корзина' },
  { char: '💳', words: 'card payment карта оплата' },
  { char: '💰', words: 'money деньги' },
  { char: '🧾', words: 'receipt чек' },
  { char: '📞', words: 'phone call телефон звонок' },
  { char: '📧', words: 'email почта' },
  { char: '📎', words: 'attachment file файл' },
  { char: '🔗', words: 'link ссылка' },
  { char: '🔒', words: 'lock secure безопасно' },
  { char: '🔧', words: 'fix settings настройка' },
  { char: '💡', words: 'idea tip идея совет' },
  { char: '📍', words: 'location address адрес' },
  { char: '🏠', words: 'home дом' },
  { char: '☕', words: 'coffee кофе' },
  { char: '🌟', words: 'glowing star отлично' },
  { char: '😎', words: 'cool круто' },
];

export function findEmoji(query: string): readonly Emoji[] {
  const words = query.trim().toLowerCase();
  return words ? EMOJI.filter((e) => e.words.includes(words)) : EMOJI;
}
