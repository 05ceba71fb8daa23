// Transfer: to a colleague (who gets it at once, with a note only the team sees) or to a
// department's queue (with the reason, kept in the history).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@frontline/protocol';
import { fetchDepartments, fetchUsers, handOver, transferToDepartment } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { Dialog } from '../components/Dialog.js';
import { useRealtime } from '../realtime/context.js';
import { ErrorLine } from '../components/FormParts.js';

interface Props {
  conversation: Conversation;
  me: string;
  onClose(): void;
}

type Target = { kind: 'operator' | 'department'; id: string };

export function TransferDialog({ conversation, me, onClose }: Props) {
  const { t } = useTranslation();
  const realtime = useRealtime();
  const users = useQuery({ queryKey: keys.users, queryFn: fetchUsers });
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const [target, setTarget] = useState<Target | null>(null);
  const [note, setNote] = useState('');
  const transfer = useMutation({
    mutationFn: (to: Target) =>
      to.kind === 'operator'
        ? handOver(conversation.id, to.id, note.trim())
        : transferToDepartment(conversation.id, to.id, note.trim()),
    onSuccess: (updated) => {
      realtime.applyConversation(updated);
      onClose();
    },
  });
  const needsReason = target?.kind === 'department';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (target && (!needsReason || note.trim())) transfer.mutate(target);
  };
  const colleagues = users.data?.filter((u) => u.id !== me && u.id !== conversation.assigneeId) ?? [];
  return (
    <Dialog title={t('transfer.title')} onClose={onClose}>
      <form className="stack" onSubmit={submit} data-testid="transfer-dialog">
        <label htmlFor="transfer-target">{t('transfer.to')}</label>
        <select
          id="transfer-target"
          required
          value={target ? `${target.kind}:${target.id}` : ''}
          onChange={(e) => {
            const [kind, id] = e.target.value.split(':');
            setTarget(kind === 'operator' || kind === 'department' ? { kind, id: id ?? '' } : null);
          }}
        >
          <option value="">{t('transfer.choose')}</option>
          <optgroup label={t('transfer.operators')}>
            {colleagues.map((u) => (
              <option key={u.id} value={`operator:${u.id}`}>
                {u.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('transfer.departments')}>
            {departments.data?.map((d) => (
              <option key={d.id} value={`department:${d.id}`}>
                {d.name}
              </option>
            ))}
          </optgroup>
        </select>
        <label htmlFor="transfer-note">{needsReason ? t('transfer.reason') : t('transfer.note')}</label>
        <textarea
          id="transfer-note"
          rows={3}
          spellCheck
          required={needsReason}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={needsReason ? t('transfer.reasonHint') : t('transfer.noteHint')}
        />
        <ErrorLine error={transfer.error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!target || transfer.isPending}>
            {t('transfer.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
