// Files of a message: images shown (and opening full size), other files as links with their size.
import { useTranslation } from 'react-i18next';
import type { Attachment } from '@frontline/protocol';
import { formatSize } from '../i18n/format.js';
import { PaperclipIcon } from './icons.js';

interface Props {
  files: Pick<Attachment, 'name' | 'mime' | 'size' | 'url'>[];
}

export function Attachments({ files }: Props) {
  const { i18n } = useTranslation();
  if (files.length === 0) return null;
  return (
    <ul className="attachments">
      {files.map((file) => (
        <li key={file.url}>
          {file.mime.startsWith('image/') ? (
            <a href={file.url} target="_blank" rel="noopener noreferrer" className="image">
              <img src={file.url} alt={file.name} loading="lazy" />
            </a>
          ) : (
            <a href={file.url} target="_blank" rel="noopener noreferrer" className="file">
              <PaperclipIcon />
              <span className="file-name">{file.name}</span>
              <span className="file-size">{formatSize(file.size, i18n.language)}</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
