// Departments: the queues conversations wait in. Each has a routing strategy, an offer timeout, a
// line level and the line it escalates to, and its members.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department, DepartmentInput, RoutingStrategy, User } from '@frontline/protocol';
import { ROUTING_STRATEGY_CHOICES } from '../api/constants.js';
import { createDepartment, fetchDepartments, fetchUsers, updateDepartment } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import type { AdminPageProps } from './pages.js';
import { FormFooter } from '../components/FormParts.js';

export function DepartmentsPage(_props: AdminPageProps) {
  const { t } = useTranslation();
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const users = useQuery({ queryKey: keys.users, queryFn: fetchUsers });
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  return (
    <section aria-labelledby="departments-title">
      <div className="section-head">
        <h1 id="departments-title">{t('admin.departments.title')}</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('admin.departments.add')}
        </button>
      </div>
      {departments.isError && <p className="form-error">{describeError(departments.error, t)}</p>}
      {editing && (
        <DepartmentForm
          key={editing === 'new' ? 'new' : editing.id}
          department={editing === 'new' ? null : editing}
          departments={departments.data ?? []}
          users={users.data ?? []}
          onDone={() => setEditing(null)}
        />
      )}
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.departments.name')}</th>
            <th scope="col">{t('admin.departments.strategy')}</th>
            <th scope="col">{t('admin.departments.line')}</th>
            <th scope="col">{t('admin.departments.members')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {departments.data?.map((d) => (
            <tr key={d.id} data-testid="department">
              <td>{d.name}</td>
              <td>{t(`strategies.${d.strategy}`)}</td>
              <td>
                L{d.lineLevel}
                {d.escalatesToId &&
                  ` → ${departments.data.find((other) => other.id === d.escalatesToId)?.name ?? ''}`}
              </td>
              <td>
                {d.memberIds
                  .map((id) => users.data?.find((u) => u.id === id)?.name)
                  .filter(Boolean)
                  .join(', ') || <span className="muted">{t('admin.departments.anyone')}</span>}
              </td>
              <td>
                <button type="button" onClick={() => setEditing(d)}>
                  {t('admin.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface FormProps {
  department: Department | null;
  departments: Department[];
  users: User[];
  onDone(): void;
}

function DepartmentForm({ department, departments, users, onDone }: FormProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [input, setInput] = useState<DepartmentInput>(() => ({
    name: department?.name ?? '',
    strategy: department?.strategy ?? 'least_busy',
    offerTimeoutSeconds: department?.offerTimeoutSeconds ?? 30,
    firstReplyTimeoutSeconds: department?.firstReplyTimeoutSeconds ?? 0,
    idleCloseMinutes: department?.idleCloseMinutes ?? null,
    lineLevel: department?.lineLevel ?? 1,
    escalatesToId: department?.escalatesToId ?? null,
    memberIds: department?.memberIds ?? [],
  }));
  const change = (patch: Partial<DepartmentInput>) => setInput((current) => ({ ...current, ...patch }));
  const save = useMutation({
    mutationFn: () => (department ? updateDepartment(department.id, input) : createDepartment(input)),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: keys.departments });
      void queries.invalidateQueries({ queryKey: keys.team });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const members = input.memberIds ?? [];
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('admin.departments.form')}>
      <label className="stack-field">
        <span>{t('admin.departments.name')}</span>
        <input
          required
          maxLength={120}
          value={input.name}
          onChange={(e) => change({ name: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.departments.strategy')}</span>
        <select
          value={input.strategy}
          onChange={(e) =>
            change({
              strategy: ROUTING_STRATEGY_CHOICES.find((s): s is RoutingStrategy => s === e.target.value),
            })
          }
        >
          {ROUTING_STRATEGY_CHOICES.map((s) => (
            <option key={s} value={s}>
              {t(`strategies.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="stack-field">
        <span>{t('admin.departments.offerTimeout')}</span>
        <input
          type="number"
          min={1}
          max={3600}
          className="narrow"
          value={input.offerTimeoutSeconds}
          onChange={(e) => change({ offerTimeoutSeconds: Number(e.target.value) })}
        />
      </label>
      <label className="stack-field">
        <span>{t('routing.firstReplyTimeout')}</span>
        <input
          type="number"
          min={0}
          max={3600}
          className="narrow"
          value={input.firstReplyTimeoutSeconds}
          onChange={(e) => change({ firstReplyTimeoutSeconds: Number(e.target.value) })}
        />
      </label>
      <label className="stack-field">
        <span>{t('routing.idleClose')}</span>
        <input
          type="number"
          min={0}
          max={43200}
          className="narrow"
          placeholder={t('routing.idleCloseWorkspace')}
          value={input.idleCloseMinutes ?? ''}
          onChange={(e) =>
            change({ idleCloseMinutes: e.target.value === '' ? null : Number(e.target.value) })
          }
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.departments.line')}</span>
        <input
          type="number"
          min={1}
          max={9}
          className="narrow"
          value={input.lineLevel}
          onChange={(e) => change({ lineLevel: Number(e.target.value) })}
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.departments.escalatesTo')}</span>
        <select
          value={input.escalatesToId ?? ''}
          onChange={(e) => change({ escalatesToId: e.target.value || null })}
        >
          <option value="">{t('admin.departments.noEscalation')}</option>
          {departments
            .filter((d) => d.id !== department?.id)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
        </select>
      </label>
      <fieldset className="checks">
        <legend>{t('admin.departments.members')}</legend>
        {users.map((u) => (
          <label key={u.id}>
            <input
              type="checkbox"
              checked={members.includes(u.id)}
              onChange={(e) =>
                change({
                  memberIds: e.target.checked ? [...members, u.id] : members.filter((id) => id !== u.id),
                })
              }
            />
            {u.name}
          </label>
        ))}
      </fieldset>
      <FormFooter error={save.error} pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
