import { describe, expect, it } from 'vitest';
import { translator } from './i18n.js';

describe('widget strings', () => {
  it('fills placeholders in either language', () => {
    expect(translator('en')('typing', { name: 'Anna' })).toBe('Anna is typing…');
    expect(translator('ru')('queue', { position: 3 })).toBe('Все операторы заняты. Ваше место в очереди: 3.');
  });

  it('leaves no placeholder behind when a value is missing', () => {
    expect(translator('en')('assigned')).toBe(' joined the chat');
  });
});
