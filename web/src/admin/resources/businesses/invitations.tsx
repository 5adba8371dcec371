// The Invitations tab of a business (owners and admins): the pending invitations, each with a
// Revoke button that kills its link.
import { Alert, TableBody, TableCell, TableHead, TableRow } from '@mui/material'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNotify } from 'react-admin'
import { api } from '../../../api/client'
import { describeError } from '../../../api/errors'
import type { Business, Invitation } from '../../../api/types'
import { Button } from '../../ui/buttons'
import { formatWhen } from '../../ui/fields'
import { WideTable } from '../../ui/WideTable'
import { invitationsKey, roleName } from './shared'

export function InvitationsTab({ business }: { business: Business }) {
  const notify = useNotify()
  const client = useQueryClient()
  const key = invitationsKey(business.id)
  const invitations = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<Invitation[]>(`/api/businesses/${business.id}/invitations/`, {
        business: business.id,
        query: { page_size: 100 },
        signal,
      }),
  })
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) =>
      api.delete<null>(`/api/businesses/${business.id}/invitations/${invitation.id}/`, {
        business: business.id,
      }),
    onSuccess: (_body, invitation) =>
      notify(`The invitation to ${invitation.email} was revoked.`, { type: 'success' }),
    onError: (error) => notify(describeError(error), { type: 'error' }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  })

  if (invitations.isPending) return <p>Loading invitations…</p>
  if (invitations.isError) return <Alert severity="error">{describeError(invitations.error)}</Alert>
  const rows = invitations.data.data
  return (
    <WideTable aria-label="Pending invitations">
      <TableHead>
        <TableRow>
          <TableCell>Email</TableCell>
          <TableCell>Role</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.length === 0 && (
          <TableRow>
            <TableCell colSpan={4}>No pending invitations.</TableCell>
          </TableRow>
        )}
        {rows.map((invitation) => (
          <TableRow key={invitation.id}>
            <TableCell>{invitation.email}</TableCell>
            <TableCell>{roleName(invitation.role)}</TableCell>
            <TableCell>{formatWhen(invitation.expires_at)}</TableCell>
            <TableCell>
              <Button
                label="Revoke"
                aria-label={`Revoke the invitation to ${invitation.email}`}
                color="error"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(invitation)}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </WideTable>
  )
}
