// The business's team: members and their roles (owners and admins change them, managers read),
// invitations by email, and for everyone a way to leave the business.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiError, api } from '../../api/client'
import { describeError, fieldErrors } from '../../api/errors'
import type { Invitation, Member } from '../../api/types'
import { Button, Card, EmptyState, ErrorAlert, Notice, PageHeader } from '../../ui/controls'
import { formatDateTime, personName } from '../../ui/format'
import { SelectField, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { can, ROLE_LABELS, ROLES, type Role, rememberBusiness, useDashboard } from './business'
import { ActionNotices, DataTable, ListStates, useTeamList } from './lists'
import { ConfirmButton, formatLocalDate, RoleNotice, TD } from './parts'

const dateOf = (iso: string) => formatLocalDate(iso.slice(0, 10))

export function TeamSection() {
  useTitle('Dashboard team')
  const { power } = useDashboard()
  return (
    <>
      <PageHeader title="Team" />
      <div className="space-y-8">
        {can.seeMembers(power) ? (
          <Members />
        ) : (
          <RoleNotice>
            Your role does not include the member list. Owners, admins and managers can see the team.
          </RoleNotice>
        )}
        {can.manageMembers(power) ? (
          <>
            <Invite />
            <Invitations />
          </>
        ) : null}
        {can.leave(power) ? <Leave /> : null}
      </div>
    </>
  )
}

function Members() {
  const { business, power, me } = useDashboard()
  const client = useQueryClient()
  const manage = can.manageMembers(power)
  const [notice, setNotice] = useState<string | null>(null)
  const [roles, setRoles] = useState<Record<string, Role>>({})
  const members = useTeamList<Member>('members')
  const changeRole = useMutation({
    mutationFn: async ({ member, role }: { member: Member; role: Role }) =>
      api.patch(
        `/api/businesses/${business.id}/members/${member.user.id}/`,
        { role },
        { business: business.id },
      ),
    onMutate: () => setNotice(null),
    onSuccess: async (_, { member, role }) => {
      setNotice(`${personName(member.user)} is now ${ROLE_LABELS[role].toLowerCase()}.`)
      setRoles(({ [member.user.id]: _dropped, ...rest }) => rest)
      await client.invalidateQueries({ queryKey: ['dashboard', business.id, 'members'] })
      if (member.user.id === me.id) await client.invalidateQueries({ queryKey: ['memberships'] })
    },
  })
  const remove = useMutation({
    mutationFn: async (member: Member) =>
      api.delete(`/api/businesses/${business.id}/members/${member.user.id}/`, { business: business.id }),
    onMutate: () => setNotice(null),
    onSuccess: async (_, member) => {
      setNotice(`${personName(member.user)} was removed from the team.`)
      await client.invalidateQueries({ queryKey: ['dashboard', business.id, 'members'] })
    },
  })
  const actionError = changeRole.error ?? remove.error

  return (
    <section aria-labelledby="team-members">
      <h2 id="team-members" className="mb-3 text-lg font-semibold text-slate-900">
        Members
      </h2>
      {!manage ? (
        <div className="mb-3">
          <RoleNotice>
            Your role can see the team but not change it. Owners and admins invite people and change roles.
          </RoleNotice>
        </div>
      ) : null}
      <ActionNotices notice={notice} error={actionError} power={power} className="mb-3" />
      <ListStates query={members} loading="Loading the team" what="the member list" power={power}>
        <DataTable
          label="Members"
          width="min-w-[40rem]"
          columns={['Member', 'Role', 'Member since', manage && 'Actions']}
        >
          {(members.data ?? []).map((member) => {
            const name = personName(member.user)
            const chosen = roles[member.user.id] ?? member.role
            const isMe = member.user.id === me.id
            return (
              <tr key={member.user.id}>
                <td className={TD}>
                  <span className="font-medium text-slate-900">
                    {name}
                    {isMe ? ' (you)' : ''}
                  </span>
                  <span className="block text-slate-700">
                    @{member.user.username}
                    {member.user.email ? ` · ${member.user.email}` : ''}
                  </span>
                </td>
                <td className={TD}>
                  {manage ? (
                    <form
                      className="flex flex-wrap items-center gap-2"
                      onSubmit={(event) => {
                        event.preventDefault()
                        changeRole.mutate({ member, role: chosen })
                      }}
                    >
                      <label htmlFor={`role-${member.user.id}`} className="sr-only">
                        Role for {name}
                      </label>
                      <select
                        id={`role-${member.user.id}`}
                        value={chosen}
                        onChange={(event) =>
                          setRoles((current) => ({
                            ...current,
                            [member.user.id]: event.target.value as Role,
                          }))
                        }
                        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base text-slate-900 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/40"
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                      {chosen !== member.role ? (
                        <Button
                          type="submit"
                          variant="secondary"
                          aria-label={`Change role of ${name}`}
                          busy={
                            changeRole.isPending && changeRole.variables?.member.user.id === member.user.id
                          }
                        >
                          Change role
                        </Button>
                      ) : null}
                    </form>
                  ) : (
                    ROLE_LABELS[member.role]
                  )}
                </td>
                <td className={`${TD} whitespace-nowrap`}>{dateOf(member.created_at)}</td>
                {manage ? (
                  <td className={TD}>
                    {isMe ? (
                      <span className="text-sm text-slate-600">Use "Leave this business" below</span>
                    ) : (
                      <ConfirmButton
                        label={`Remove ${name}`}
                        question={`Remove ${name} from the team?`}
                        confirm="Yes, remove"
                        keep="Keep"
                        busy={remove.isPending && remove.variables?.user.id === member.user.id}
                        onConfirm={() => remove.mutate(member)}
                      >
                        Remove
                      </ConfirmButton>
                    )}
                  </td>
                ) : null}
              </tr>
            )
          })}
        </DataTable>
      </ListStates>
    </section>
  )
}

function Invite() {
  const { business } = useDashboard()
  const client = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const invite = useMutation({
    mutationFn: async () =>
      api.post<Invitation>(
        `/api/businesses/${business.id}/members/`,
        { email: email.trim(), role },
        { business: business.id },
      ),
    onSuccess: async () => {
      setEmail('')
      await client.invalidateQueries({ queryKey: ['dashboard', business.id, 'invitations'] })
    },
  })
  const errors = fieldErrors(invite.error)
  function submit(event: FormEvent) {
    event.preventDefault()
    invite.mutate()
  }
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Invite someone</h2>
      <p className="mb-4 text-sm text-slate-700">
        We email them a link to join {business.name}. It works for 7 days; they join once they accept.
      </p>
      <form onSubmit={submit} noValidate className="space-y-4">
        {invite.error ? <ErrorAlert error={invite.error} /> : null}
        {invite.isSuccess ? <Notice>Invitation sent to {invite.data.data.email}.</Notice> : null}
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.email}
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            error={errors.role}
          >
            {ROLES.map((item) => (
              <option key={item} value={item}>
                {ROLE_LABELS[item]}
              </option>
            ))}
          </SelectField>
          <Button type="submit" busy={invite.isPending} disabled={!email.trim()} className="sm:mt-6">
            Send invitation
          </Button>
        </div>
      </form>
    </Card>
  )
}

function Invitations() {
  const { business, power } = useDashboard()
  const client = useQueryClient()
  const [notice, setNotice] = useState<string | null>(null)
  const invitations = useTeamList<Invitation>('invitations')
  const revoke = useMutation({
    mutationFn: async (invitation: Invitation) =>
      api.delete(`/api/businesses/${business.id}/invitations/${invitation.id}/`, { business: business.id }),
    onMutate: () => setNotice(null),
    onSuccess: async (_, invitation) => {
      setNotice(`The invitation to ${invitation.email} was revoked.`)
      await client.invalidateQueries({ queryKey: ['dashboard', business.id, 'invitations'] })
    },
  })
  return (
    <section aria-labelledby="team-invitations">
      <h2 id="team-invitations" className="mb-3 text-lg font-semibold text-slate-900">
        Pending invitations
      </h2>
      <ActionNotices notice={notice} error={revoke.error} power={power} className="mb-3" />
      <ListStates
        query={invitations}
        loading="Loading invitations"
        what="the invitations"
        power={power}
        empty={invitations.data?.length === 0 ? <EmptyState title="No pending invitations." /> : null}
      >
        <DataTable
          label="Pending invitations"
          width="min-w-[36rem]"
          columns={['Email', 'Role', 'Expires', 'Actions']}
        >
          {(invitations.data ?? []).map((invitation) => (
            <tr key={invitation.id}>
              <td className={`${TD} break-all font-medium`}>{invitation.email}</td>
              <td className={TD}>{ROLE_LABELS[invitation.role]}</td>
              <td className={`${TD} whitespace-nowrap`}>
                {formatDateTime(invitation.expires_at, business.timezone)}
              </td>
              <td className={TD}>
                <ConfirmButton
                  label={`Revoke the invitation to ${invitation.email}`}
                  question={`Revoke the invitation to ${invitation.email}?`}
                  confirm="Yes, revoke"
                  keep="Keep it"
                  busy={revoke.isPending && revoke.variables?.id === invitation.id}
                  onConfirm={() => revoke.mutate(invitation)}
                >
                  Revoke
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </DataTable>
      </ListStates>
    </section>
  )
}

function Leave() {
  const { business, me } = useDashboard()
  const client = useQueryClient()
  const navigate = useNavigate()
  const leave = useMutation({
    mutationFn: async () =>
      api.delete(`/api/businesses/${business.id}/members/${me.id}/`, { business: business.id }),
    onSuccess: async () => {
      rememberBusiness('')
      client.removeQueries({ queryKey: ['dashboard', business.id] })
      await client.invalidateQueries({ queryKey: ['memberships'] })
      navigate('/dashboard', { state: { left: business.name } })
    },
  })
  const lastOwner = leave.error instanceof ApiError && leave.error.code === 'last_owner'
  return (
    <Card className="border-red-200">
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Leave this business</h2>
      <p className="mb-4 text-sm text-slate-700">
        You lose access to {business.name}'s dashboard. To come back, someone must invite you again.
      </p>
      <div className="space-y-3">
        {leave.error ? (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
          >
            {lastOwner
              ? 'You are the last owner: a business needs at least one. Make another member an owner first, then leave.'
              : describeError(leave.error)}
          </div>
        ) : null}
        <ConfirmButton
          question={`Leave ${business.name}?`}
          confirm="Yes, leave"
          keep="Stay"
          busy={leave.isPending}
          onConfirm={() => leave.mutate()}
        >
          Leave this business
        </ConfirmButton>
      </div>
    </Card>
  )
}
