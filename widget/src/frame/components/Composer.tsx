// Where the visitor writes. Enter sends, Shift+Enter starts a new line; the field grows with the
// text. Files are attached with the clip button, by dropping them or by pasting an image: each
// uploads at once, with a preview and its progress, and goes with the next message.
import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '@frontline/protocol/client';
import { useI18n } from '../i18n.js';
import { MAX_UPLOAD_MB, type Upload } from '../uploads.js';
import { AttachIcon, CloseIcon, SendIcon } from './icons.js';

interface Props {
  disabled: boolean;
  /** The chat was opened: the visitor came to write. */
  focused: boolean;
  uploads: readonly Upload[];
  /** False when the message cannot go yet (a file is still uploading). */
  onSend: (text: string) => boolean;
  onTyping: (typing: boolean) => void;
  onAttach: (files: File[]) => void;
  onRemoveUpload: (id: string) => void;
}

const MAX_HEIGHT_PX = 120;

export function Composer({ disabled, focused, uploads, onSend, onTyping, onAttach, onRemoveUpload }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const uploading = uploads.some((u) => u.fileId === null && u.error === null);
  const ready = uploads.some((u) => u.fileId !== null);

  useEffect(() => {
    if (focused && !disabled) field.current?.focus();
  }, [focused, disabled]);

  useEffect(() => {
    const element = field.current;
    if (!element) return;
    element.style.height = 'auto';
    const borders = element.offsetHeight - element.clientHeight;
    element.style.height = `${Math.min(element.scrollHeight + borders, MAX_HEIGHT_PX)}px`;
  }, [draft]);

  const submit = () => {
    if (disabled || !onSend(draft)) return;
    setDraft('');
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        if (!disabled && event.dataTransfer) onAttach([...event.dataTransfer.files]);
      }}
    >
      {uploads.length > 0 && (
        <ul class="uploads" aria-label={t('attachments')}>
          {uploads.map((upload) => (
            <UploadItem key={upload.id} upload={upload} onRemove={() => onRemoveUpload(upload.id)} />
          ))}
        </ul>
      )}
      <div class="row">
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="widget-file-input"
          onChange={(event) => {
            onAttach([...(event.currentTarget.files ?? [])]);
            event.currentTarget.value = '';
          }}
        />
        <button
          type="button"
          class="attach"
          disabled={disabled}
          aria-label={t('attach')}
          title={t('attach')}
          onClick={() => picker.current?.click()}
        >
          <AttachIcon />
        </button>
        <label class="visually-hidden" for="composer">
          {t('composerLabel')}
        </label>
        <textarea
          id="composer"
          ref={field}
          data-testid="widget-composer"
          rows={1}
          maxLength={LIMITS.messageTextMaxChars}
          placeholder={t('placeholder')}
          value={draft}
          disabled={disabled}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setDraft(text);
            onTyping(text.trim().length > 0);
          }}
          onPaste={(event) => {
            const files = [...(event.clipboardData?.files ?? [])];
            if (files.length === 0) return;
            event.preventDefault();
            onAttach(files);
          }}
          onKeyDown={(event) => {
            // While an input method composes a word, Enter confirms the word, not the message.
            if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
            event.preventDefault();
            submit();
          }}
        />
        <button
          type="submit"
          class="send"
          data-testid="widget-send"
          disabled={disabled || uploading || (!draft.trim() && !ready)}
          aria-label={t('send')}
          title={t('send')}
        >
          <SendIcon />
        </button>
      </div>
    </form>
  );
}

function UploadItem({ upload, onRemove }: { upload: Upload; onRemove: () => void }) {
  const { t } = useI18n();
  const percent = Math.round(upload.progress * 100);
  const problem =
    upload.error === 'too-big'
      ? t('fileTooBig', { name: upload.name, limit: MAX_UPLOAD_MB })
      : upload.error &&
        t('uploadFailed', {
          name: upload.name,
          error: upload.error === 'network' ? t('networkError') : upload.error,
        });
  return (
    <li class={`upload${problem ? ' failed' : ''}`} data-testid="widget-upload">
      {upload.previewUrl ? (
        <img src={upload.previewUrl} alt="" />
      ) : (
        <span class="file-name">{upload.name}</span>
      )}
      {upload.fileId === null && !problem && (
        <progress max={100} value={percent} aria-label={t('uploading', { name: upload.name, percent })} />
      )}
      {problem && (
        <span class="problem" role="alert">
          {problem}
        </span>
      )}
      <button
        type="button"
        class="remove"
        aria-label={t('removeFile', { name: upload.name })}
        onClick={onRemove}
      >
        <CloseIcon />
      </button>
    </li>
  );
}
