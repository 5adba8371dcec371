// The Members tab of a business: who belongs to it and in which role. Owners and admins change roles
// and remove members (only owners touch owners; the API refuses to lose the last owner with 409
// `last_owner`), invite by email, and platform admins add an existing user at once.
import { Alert, Stack, TableBody, TableCell, TableHead, TablePagination, TableRow } from '@mui/material'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Confirm, useNotify } from 'react-admin'
import { api } from '../../../api/client'
import { describeError } from '../../../api/errors'
import type { Business, Member, Role } from '../../../api/types'
import { personName } from '../../../ui/format'
import { useAccess } from '../../access'
import { Button } from '../../ui/buttons'
import { formatWhen } from '../../ui/fields'
import { WideTable } from '../../ui/WideTable'
import { AddMemberForm, InviteForm, RoleSelect } from './memberForms'
import { canIn, grantableRoles, membersKey, roleName } from './shared'

const PAGE_SIZE = 25

function useMembers(businessId: string, page: number) {
  return useQuery({
    queryKey: [...membersKey(businessId), page],
    queryFn: ({ signal }) =>
      api.get<Member[]>(`/api/businesses/${businessId}/members/`, {
        business: businessId,
        query: { page: page + 1, page_size: PAGE_SIZE },
        signal,
      }),
  })
}

function useMemberChanges(businessId: string) {
  const client = useQueryClient()
  const notify = useNotify()
  const path = (member: Member) => `/api/businesses/${businessId}/members/${member.user.id}/`
  const settle = {
    onError: (error: unknown) => notify(describeError(error), { type: 'error' }),
    onSettled: () => client.invalidateQueries({ queryKey: membersKey(businessId) }),
  }
  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      api.patch<Member>(path(member), { role }, { business: businessId }),
    onSuccess: (_body, { member, role }) =>
      notify(`${member.user.username} is now ${roleName(role).toLowerCase()}.`, { type: 'success' }),
    ...settle,
  })
  const remove = useMutation({
    mutationFn: (member: Member) => api.delete<null>(path(member), { business: businessId }),
    onSuccess: (_body, member) => notify(`${member.user.username} was removed.`, { type: 'success' }),
    ...settle,
  })
  return { changeRole, remove }
}

export function MembersTab({ business }: { business: Business }) {
  const access = useAccess()
  const [page, setPage] = useState(0)
  const [removing, setRemoving] = useState<Member | null>(null)
  const members = useMembers(business.id, page)
  const { changeRole, remove } = useMemberChanges(business.id)
  const canWrite = canIn(access, business, 'members.write')
  const canOwners = canIn(access, business, 'members.owners')
  const roles = grantableRoles(access, business)
  // An admin may neither change nor remove an owner: that takes an owner.
  const mayTouch = (member: Member) => canWrite && (member.role !== 'owner' || canOwners)

  if (members.isPending) return <p>Loading members…</p>
  if (members.isError) return <Alert severity="error">{describeError(members.error)}</Alert>
  const rows = members.data.data
  return (
    <Stack spacing={2}>
      {canWrite && (
        <Alert severity="info" variant="outlined">
          A business always keeps at least one owner: make someone else an owner before removing or demoting
          the last one.
        </Alert>
      )}
      <WideTable aria-label="Members">
        <TableHead>
          <TableRow>
            <TableCell>Username</TableCell>
            <TableCell>Email</TableCell>
            <TableCell>Name</TableCell>
            <TableCell>Role</TableCell>
            <TableCell>Since</TableCell>
            {canWrite && <TableCell>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={6}>No members.</TableCell>
            </TableRow>
          )}
          {rows.map((member) => (
            <TableRow key={member.user.id}>
              <TableCell>{member.user.username}</TableCell>
              <TableCell>{member.user.email || '—'}</TableCell>
              <TableCell>{personName(member.user)}</TableCell>
              <TableCell>
                {mayTouch(member) ? (
                  <RoleSelect
                    label={`Role of ${member.user.username}`}
                    value={member.role}
                    roles={roles}
                    disabled={changeRole.isPending}
                    onChange={(role) => changeRole.mutate({ member, role })}
                  />
                ) : (
                  roleName(member.role)
                )}
              </TableCell>
              <TableCell>{formatWhen(member.created_at)}</TableCell>
              {canWrite && (
                <TableCell>
                  {mayTouch(member) && (
                    <Button
                      label="Remove"
                      aria-label={`Remove ${member.user.username}`}
                      color="error"
                      onClick={() => setRemoving(member)}
                    />
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </WideTable>
      {(members.data.meta?.pagination.total ?? 0) > PAGE_SIZE && (
        <TablePagination
          component="div"
          count={members.data.meta?.pagination.total ?? rows.length}
          page={page}
          rowsPerPage={PAGE_SIZE}
          rowsPerPageOptions={[PAGE_SIZE]}
          onPageChange={(_event, next) => setPage(next)}
        />
      )}
      <Confirm
        isOpen={removing !== null}
        title={`Remove ${removing?.user.username ?? ''} from ${business.name}?`}
        content="They lose access to this business at once. Their own bookings and account stay."
        confirm="Remove"
        confirmColor="warning"
        loading={remove.isPending}
        onConfirm={() => {
          if (removing) remove.mutate(removing, { onSettled: () => setRemoving(null) })
        }}
        onClose={() => setRemoving(null)}
      />
      {canWrite && <InviteForm businessId={business.id} roles={roles} />}
      {access.platformAdmin && <AddMemberForm businessId={business.id} roles={roles} />}
    </Stack>
  )
}
