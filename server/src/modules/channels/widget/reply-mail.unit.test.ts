import { describe, expect, it } from 'vitest';
import { replyLetter } from './reply-mail.js';

const base = {
  to: 'v@mail.test',
  workspaceName: 'Shop',
  pageUrl: 'https://shop.test/cart',
  replies: [{ author: 'Anna', text: 'Yes <b>we</b> do\nsee you' }],
};

describe('the reply letter', () => {
  it('speaks the visitor’s language and points back to the page they asked from', () => {
    const en = replyLetter({ ...base, lang: 'en' });
    expect(en.subject).toBe('A reply to your question — Shop');
    expect(en.text).toContain('Anna:\nYes <b>we</b> do\nsee you');
    expect(en.text).toContain('https://shop.test/cart');
    const ru = replyLetter({ ...base, lang: 'ru', replies: [{ author: null, text: 'Да' }] });
    expect(ru.subject).toBe('Ответ на ваш вопрос — Shop');
    expect(ru.text).toContain('Оператор:\nДа');
  });

  it('escapes the replies in HTML and links only web addresses', () => {
    const letter = replyLetter({ ...base, lang: 'en' });
    expect(letter.html).toContain('Yes &#60;b&#62;we&#60;/b&#62; do<br>see you');
    expect(letter.html).toContain('<a href="https://shop.test/cart">');
    const hostile = replyLetter({ ...base, lang: 'en', pageUrl: 'javascript:alert(1)' });
    expect(hostile.html).not.toContain('javascript:');
    expect(hostile.text).not.toContain('javascript:');
  });
});
