// Reply or internal note, with canned responses ("/" + shortcut, variables filled in), emoji, files
// (picked, pasted or dropped; uploaded at once, sent by id) and the browser's spell check in the
// interface language. Enter sends, Shift+Enter starts a new line; the send is handed to the outbox,
// so the composer is free again immediately and the message shows as "sending" until acked. The
// draft is kept per conversation (drafts.ts).
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CannedResponse, Conversation, Session } from '@frontline/protocol';
import { LIMITS, fillTemplate } from '@frontline/protocol/client';
import { uploadFile } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import { CannedPicker } from '../composer/CannedPicker.js';
import { AnswerDraftButton } from '../nlu/AnswerDraftButton.js';
import { ReplySuggestions } from '../nlu/ReplySuggestions.js';
import { EmojiPicker } from '../composer/EmojiPicker.js';
import { describeError } from '../i18n/errors.js';
import { formatSize } from '../i18n/format.js';
import { useRealtime } from '../realtime/context.js';
import { draftOf, keepDraft, type ComposerDraft } from './drafts.js';
import { CloseIcon, PaperclipIcon, SendIcon } from './icons.js';

/** The composer grows with its text up to this height, then scrolls. */
const MAX_TEXTAREA_PX = 200;
/** "/word" at the start of the text opens the canned responses on that word. */
const SLASH_COMMAND = /^\/([\p{L}\p{N}_-]*)$/u;
const PICKER_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape']);

interface Upload {
  key: number;
  name: string;
}

interface Props {
  conversationId: string;
  conversation: Conversation | undefined;
  session: Session;
}

let uploadKeys = 0;

export function Composer({ conversationId, conversation, session }: Props) {
  const { t, i18n } = useTranslation();
  const realtime = useRealtime();
  const me = session.user.id;
  const [draft, setDraft] = useState<ComposerDraft>(() => draftOf(me, conversationId));
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [cannedOpen, setCannedOpen] = useState(false);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [pickerKey, setPickerKey] = useState<{ key: string; at: number } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const note = draft.kind === 'note';
  const slash = SLASH_COMMAND.exec(draft.text);
  const cannedQuery = slash ? (slash[1] ?? '') : null;
  const pickerShown = cannedOpen || cannedQuery !== null;

  useEffect(() => keepDraft(me, conversationId, draft), [me, conversationId, draft]);
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_TEXTAREA_PX)}px`;
  }, [draft.text]);

  const change = (patch: Partial<ComposerDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const canSend = (draft.text.trim() !== '' || draft.files.length > 0) && uploads.length === 0;

  const send = () => {
    if (!canSend) return;
    realtime.send({ conversationId, kind: draft.kind, text: draft.text.trim(), attachments: draft.files });
    setDraft((current) => ({ ...current, text: '', files: [] }));
    setErrors([]);
    textarea.current?.focus();
  };

  /** Puts text at the caret (or in place of a "/shortcut" being typed). */
  const insert = (text: string, replaceAll: boolean) => {
    const element = textarea.current;
    const start = replaceAll ? 0 : (element?.selectionStart ?? draft.text.length);
    const end = replaceAll ? draft.text.length : (element?.selectionEnd ?? draft.text.length);
    const next = draft.text.slice(0, start) + text + draft.text.slice(end);
    change({ text: next });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const fill = (text: string) =>
    fillTemplate(text, {
      'contact.name': conversation?.contact.name,
      'contact.email': conversation?.contact.email,
      'operator.name': session.user.name,
      'workspace.name': session.workspace.name,
    });
  const pickCanned = (response: CannedResponse) => {
    insert(fill(response.text), cannedQuery !== null);
    setCannedOpen(false);
  };

  const upload = async (file: File) => {
    const key = (uploadKeys += 1);
    setUploads((current) => [...current, { key, name: file.name }]);
    try {
      const stored = await uploadFile(file);
      setDraft((current) => ({ ...current, files: [...current.files, stored] }));
    } catch (error) {
      setErrors((current) => [...current, uploadError(error, file.name, t)]);
    } finally {
      setUploads((current) => current.filter((u) => u.key !== key));
    }
  };
  const attach = (files: File[]) => {
    const room = LIMITS.attachmentsPerMessage - draft.files.length - uploads.length;
    const problems: string[] = [];
    if (files.length > room) problems.push(t('errors.tooManyFiles', { count: LIMITS.attachmentsPerMessage }));
    for (const file of files.slice(0, Math.max(0, room))) {
      if (file.size > LIMITS.fileMaxBytes)
        problems.push(
          t('errors.fileTooBig', { name: file.name, limit: formatSize(LIMITS.fileMaxBytes, i18n.language) }),
        );
      else void upload(file);
    }
    setErrors(problems);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerShown && PICKER_KEYS.has(event.key)) {
      event.preventDefault();
      if (event.key === 'Escape') {
        setCannedOpen(false);
        if (cannedQuery !== null) change({ text: '' });
      } else setPickerKey({ key: event.key, at: performance.now() });
      return;
    }
    // An input method composing a word (Chinese, Japanese) uses Enter to confirm it, not to send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    attach(files);
  };
  const onDrop = (event: DragEvent) => {
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    event.preventDefault();
    attach(files);
  };

  return (
    <form
      className={`composer${note ? ' note' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      onDragOver={(event) => event.preventDefault()}
      onDrop={onDrop}
    >
      <div className="modes" role="radiogroup" aria-label={t('composer.mode')}>
        {(['text', 'note'] as const).map((kind) => (
          <label key={kind} className={`mode mode-${kind}${draft.kind === kind ? ' on' : ''}`}>
            <input
              type="radio"
              name={`kind-${conversationId}`}
              value={kind}
              data-shortcut={kind === 'note' ? 'note-mode' : undefined}
              checked={draft.kind === kind}
              onChange={() => {
                change({ kind });
                if (kind === 'note') realtime.stopTyping(conversationId);
              }}
              onClick={() => textarea.current?.focus()}
            />
            {kind === 'note' ? t('composer.note') : t('composer.reply')}
          </label>
        ))}
        {note && <span className="mode-hint">{t('composer.noteHint')}</span>}
      </div>
      {errors.length > 0 && (
        <div className="form-error" role="alert">
          {errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </div>
      )}
      {(draft.files.length > 0 || uploads.length > 0) && (
        <ul className="chips" aria-label={t('composer.attachments')}>
          {draft.files.map((file) => (
            <li key={file.id} className="chip">
              <PaperclipIcon />
              <span className="chip-name">{file.name}</span>
              <span className="muted">{formatSize(file.size, i18n.language)}</span>
              <button
                type="button"
                className="icon-button small"
                aria-label={t('composer.remove', { name: file.name })}
                onClick={() => change({ files: draft.files.filter((f) => f.id !== file.id) })}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
          {uploads.map((u) => (
            <li key={u.key} className="chip uploading" aria-busy="true">
              <PaperclipIcon />
              <span className="chip-name">{u.name}</span>
              <span className="muted">{t('composer.uploading')}</span>
            </li>
          ))}
        </ul>
      )}
      {!note && (
        <ReplySuggestions
          conversationId={conversationId}
          lastSeq={conversation?.lastSeq ?? 0}
          onPick={(suggestion) =>
            insert(suggestion.kind === 'canned' ? fill(suggestion.text) : suggestion.text, false)
          }
        />
      )}
      {!note && (
        <AnswerDraftButton
          key={conversationId}
          conversationId={conversationId}
          widgetKey={session.workspace.widgetKey}
          // An empty composer takes the draft whole; the operator's own words are kept around it.
          onDraft={(text) => insert(text, draft.text.trim() === '')}
        />
      )}
      <div className="composer-input">
        {pickerShown && (
          <CannedPicker
            query={cannedQuery ?? ''}
            keyEvent={pickerKey}
            onPick={pickCanned}
            onClose={() => setCannedOpen(false)}
          />
        )}
        {emojiOpen && (
          <EmojiPicker
            onPick={(char) => {
              insert(char, false);
              setEmojiOpen(false);
            }}
            onClose={() => setEmojiOpen(false)}
          />
        )}
        <textarea
          ref={textarea}
          data-testid="composer"
          data-shortcut="composer"
          aria-label={note ? t('composer.noteLabel') : t('composer.replyLabel')}
          aria-expanded={pickerShown}
          aria-controls={pickerShown ? 'canned-options' : undefined}
          placeholder={note ? t('composer.noteHint') : t('composer.replyHint')}
          rows={2}
          maxLength={LIMITS.messageTextMaxChars}
          spellCheck
          lang={i18n.language}
          autoFocus
          value={draft.text}
          onChange={(event) => {
            change({ text: event.target.value });
            if (!note) realtime.typing(conversationId);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => realtime.stopTyping(conversationId)}
        />
      </div>
      <div className="composer-bar">
        <label className="attach">
          <input
            type="file"
            multiple
            className="visually-hidden"
            onChange={(event) => {
              attach([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
          <PaperclipIcon />
          <span>{t('composer.attach')}</span>
        </label>
        <button
          type="button"
          className="ghost"
          data-testid="canned-button"
          aria-expanded={cannedOpen}
          onClick={() => {
            setCannedOpen((open) => !open);
            textarea.current?.focus();
          }}
        >
          {t('canned.button')}
        </button>
        <button
          type="button"
          className="ghost"
          aria-label={t('composer.emoji')}
          aria-expanded={emojiOpen}
          data-testid="emoji-button"
          onClick={() => setEmojiOpen((open) => !open)}
        >
          😊
        </button>
        <span className="spacer" />
        <button type="submit" className="primary send" data-testid="send" disabled={!canSend}>
          <SendIcon />
          <span>{note ? t('composer.addNote') : t('composer.send')}</span>
        </button>
      </div>
    </form>
  );
}

function uploadError(error: unknown, name: string, t: TFunction): string {
  if (error instanceof ApiError && error.code === 'unsupported_media_type')
    return t('errors.fileType', { name });
  return `${name}: ${describeError(error, t)}`;
}
