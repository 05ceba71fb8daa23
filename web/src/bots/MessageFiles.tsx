// The images and files a message step sends with its text: uploaded here into the workspace, sent
// by the bot as the message's attachments.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, type FlowNode } from '@frontline/protocol';
import { uploadFile } from '../api/endpoints.js';
import { ErrorLine } from '../components/FormParts.js';

type MessageNode = Extract<FlowNode, { type: 'message' }>;

export function MessageFiles({ node, onChange }: { node: MessageNode; onChange: (node: FlowNode) => void }) {
  const { t } = useTranslation();
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attach = async (file: File) => {
    setUploading(true);
    setError(null);
    try {
      const stored = await uploadFile(file);
      onChange({ ...node, files: [...node.files, { fileId: stored.id, name: stored.name }] });
    } catch (failure) {
      setError(failure);
    } finally {
      setUploading(false);
    }
  };
  return (
    <fieldset className="flow-options" data-testid="message-files">
      <legend>{t('bots.fields.messageFiles')}</legend>
      {node.files.map((file) => (
        <div key={file.fileId} className="flow-option">
          <span className="flow-file-name">{file.name}</span>
          <button
            type="button"
            aria-label={t('bots.removeFile', { name: file.name })}
            onClick={() => onChange({ ...node, files: node.files.filter((f) => f.fileId !== file.fileId) })}
          >
            ×
          </button>
        </div>
      ))}
      {node.files.length < LIMITS.attachmentsPerMessage && (
        <label className="field">
          <span>{uploading ? t('loading') : t('bots.attachFile')}</span>
          <input
            type="file"
            disabled={uploading}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void attach(file);
            }}
          />
        </label>
      )}
      <ErrorLine error={error} />
    </fieldset>
  );
}
