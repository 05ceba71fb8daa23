// The team: everyone with role, status, capacity and departments; admins invite people (the first
// password is shown once, to pass on) and change or disable them. Supervisors see the page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department, TeamMember, TeamMemberPatch, UserRole } from '@frontline/protocol';
import { USER_ROLE_CHOICES } from '../api/constants.js';
import { fetchDepartments, fetchTeam, inviteMember, updateMember } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import type { AdminPageProps } from './pages.js';
import { ErrorLine } from '../components/FormParts.js';

const roleOf = (value: string): UserRole => USER_ROLE_CHOICES.find((r) => r === value) ?? 'operator';

export function TeamPage({ session }: AdminPageProps) {
  const { t } = useTranslation();
  const team = useQuery({ queryKey: keys.team, queryFn: fetchTeam });
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const isAdmin = session.user.role === 'admin';
  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t('admin.team.title')}</h1>
      {isAdmin && <InviteForm departments={departments.data ?? []} />}
      {team.isError && <p className="form-error">{describeError(team.error, t)}</p>}
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.team.person')}</th>
            <th scope="col">{t('admin.team.role')}</th>
            <th scope="col">{t('supervision.presence')}</th>
            <th scope="col">{t('admin.team.capacity')}</th>
            <th scope="col">{t('admin.team.departments')}</th>
            <th scope="col">{t('admin.team.account')}</th>
          </tr>
        </thead>
        <tbody>
          {team.data?.map((member) => (
            <MemberRow
              key={member.id}
              member={member}
              departments={departments.data ?? []}
              editable={isAdmin}
              isSelf={member.id === session.user.id}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface RowProps {
  member: TeamMember;
  departments: Department[];
  editable: boolean;
  isSelf: boolean;
}

function MemberRow({ member, departments, editable, isSelf }: RowProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const update = useMutation({
    mutationFn: (patch: TeamMemberPatch) => updateMember(member.id, patch),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: keys.team });
      void queries.invalidateQueries({ queryKey: keys.departments });
    },
  });
  const locked = !editable || update.isPending;
  return (
    <tr data-testid="team-member" className={member.disabled ? 'disabled' : ''}>
      <td>
        <strong>{member.name}</strong>
        <br />
        <span className="muted">{member.email}</span>
      </td>
      <td>
        <select
          aria-label={t('admin.team.roleOf', { name: member.name })}
          value={member.role}
          disabled={locked || isSelf}
          onChange={(e) => update.mutate({ role: roleOf(e.target.value) })}
        >
          {USER_ROLE_CHOICES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span className={`badge presence-${member.presence}`}>{t(`header.${member.presence}`)}</span>
      </td>
      <td>
        <input
          type="number"
          min={0}
          max={100}
          className="narrow"
          aria-label={t('admin.team.capacityOf', { name: member.name })}
          defaultValue={member.capacity}
          disabled={locked}
          onBlur={(e) => {
            const capacity = Number(e.target.value);
            if (Number.isInteger(capacity) && capacity !== member.capacity) update.mutate({ capacity });
          }}
        />
      </td>
      <td>
        <fieldset className="checks" disabled={locked}>
          <legend className="visually-hidden">{t('admin.team.departmentsOf', { name: member.name })}</legend>
          {departments.map((d) => (
            <label key={d.id}>
              <input
                type="checkbox"
                checked={member.departmentIds.includes(d.id)}
                onChange={(e) =>
                  update.mutate({
                    departmentIds: e.target.checked
                      ? [...member.departmentIds, d.id]
                      : member.departmentIds.filter((id) => id !== d.id),
                  })
                }
              />
              {d.name}
            </label>
          ))}
        </fieldset>
      </td>
      <td>
        {editable && !isSelf && (
          <button
            type="button"
            disabled={locked}
            onClick={() => update.mutate({ disabled: !member.disabled })}
          >
            {member.disabled ? t('admin.team.enable') : t('admin.team.disable')}
          </button>
        )}
        <ErrorLine error={update.error} />
      </td>
    </tr>
  );
}

function InviteForm({ departments }: { departments: Department[] }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('operator');
  const [capacity, setCapacity] = useState(5);
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const invite = useMutation({
    mutationFn: () => inviteMember({ email: email.trim(), name: name.trim(), role, capacity, departmentIds }),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: keys.team });
      void queries.invalidateQueries({ queryKey: keys.users });
      setEmail('');
      setName('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <form className="admin-form inline-form" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.team.invite')}</h2>
      <label className="stack-field">
        <span>{t('visitor.name')}</span>
        <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="stack-field">
        <span>{t('login.email')}</span>
        <input required type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="stack-field">
        <span>{t('admin.team.role')}</span>
        <select value={role} onChange={(e) => setRole(roleOf(e.target.value))}>
          {USER_ROLE_CHOICES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="stack-field">
        <span>{t('admin.team.capacity')}</span>
        <input
          type="number"
          min={0}
          max={100}
          className="narrow"
          value={capacity}
          onChange={(e) => setCapacity(Number(e.target.value))}
        />
      </label>
      {departments.length > 0 && (
        <fieldset className="checks">
          <legend>{t('admin.team.departments')}</legend>
          {departments.map((d) => (
            <label key={d.id}>
              <input
                type="checkbox"
                checked={departmentIds.includes(d.id)}
                onChange={(e) =>
                  setDepartmentIds((ids) =>
                    e.target.checked ? [...ids, d.id] : ids.filter((id) => id !== d.id),
                  )
                }
              />
              {d.name}
            </label>
          ))}
        </fieldset>
      )}
      <div>
        <button type="submit" className="primary" disabled={invite.isPending}>
          {t('admin.team.inviteSubmit')}
        </button>
      </div>
      <ErrorLine error={invite.error} />
      {invite.data && (
        <p className="saved" role="status" data-testid="invited-password">
          {t('admin.team.invited', { name: invite.data.member.name, email: invite.data.member.email })}{' '}
          <code>{invite.data.password}</code>
        </p>
      )}
    </form>
  );
}
