// The small forms of the Members tab: a role select, inviting an address by email (202: an
// invitation is mailed), and, for platform admins, adding an existing user at once (201).
import { Autocomplete, Box, Stack, TextField, Typography } from '@mui/material'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useNotify } from 'react-admin'
import { api } from '../../../api/client'
import { describeError, fieldErrors } from '../../../api/errors'
import type { Invitation, Member, Role, User } from '../../../api/types'
import { Button } from '../../ui/buttons'
import { invitationsKey, membersKey } from './shared'

type Choice = { id: Role; name: string }

export function RoleSelect({
  label,
  value,
  roles,
  onChange,
  disabled,
  error,
}: {
  label: string
  value: Role
  roles: Choice[]
  onChange: (role: Role) => void
  disabled?: boolean
  error?: string
}) {
  const id = useId()
  return (
    <TextField
      id={id}
      select
      size="small"
      label={label}
      value={value}
      disabled={disabled}
      error={Boolean(error)}
      helperText={error}
      onChange={(event) => onChange(event.target.value as Role)}
      fullWidth={false}
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
      sx={{ minWidth: 160 }}
    >
      {roles.map((role) => (
        <option key={role.id} value={role.id}>
          {role.name}
        </option>
      ))}
    </TextField>
  )
}

export function InviteForm({ businessId, roles }: { businessId: string; roles: Choice[] }) {
  const notify = useNotify()
  const client = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const invite = useMutation({
    mutationFn: () =>
      api.post<Invitation>(
        `/api/businesses/${businessId}/members/`,
        { email, role },
        { business: businessId },
      ),
    onSuccess: (body) => {
      notify(`Invitation sent to ${body.data.email}.`, { type: 'success' })
      setEmail('')
      client.invalidateQueries({ queryKey: invitationsKey(businessId) })
    },
    onError: (error) => notify(describeError(error), { type: 'error' }),
  })
  const errors = invite.isError ? fieldErrors(invite.error) : {}
  const submit = (event: FormEvent) => {
    event.preventDefault()
    invite.mutate()
  }
  return (
    <Box component="form" aria-label="New invitation" onSubmit={submit} noValidate>
      <Typography variant="subtitle1" component="h3">
        Invite by email
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        They get a link valid for 7 days and become a member once they accept it.
      </Typography>
      <Stack direction="row" spacing={2} alignItems="flex-start" flexWrap="wrap" useFlexGap>
        <TextField
          label="Email"
          type="email"
          fullWidth={false}
          sx={{ minWidth: 280 }}
          size="small"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={Boolean(errors.email)}
          helperText={errors.email}
        />
        <RoleSelect label="Role" value={role} roles={roles} onChange={setRole} error={errors.role} />
        <Button label="Invite" type="submit" variant="contained" disabled={!email || invite.isPending} />
      </Stack>
    </Box>
  )
}

/** The search text, settled for a moment so the user list is not asked on every key. */
function useSettled(text: string, delay = 300): string {
  const [settled, setSettled] = useState(text)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), delay)
    return () => clearTimeout(timer)
  }, [text, delay])
  return settled
}

export function AddMemberForm({ businessId, roles }: { businessId: string; roles: Choice[] }) {
  const notify = useNotify()
  const client = useQueryClient()
  const [search, setSearch] = useState('')
  const [user, setUser] = useState<User | null>(null)
  const [role, setRole] = useState<Role>('agent')
  const settled = useSettled(search)
  const users = useQuery({
    queryKey: ['admin', 'users', 'search', settled],
    queryFn: ({ signal }) =>
      api.get<User[]>('/api/users/', { query: { search: settled, page_size: 20 }, signal }),
    enabled: settled.trim().length > 0,
  })
  const add = useMutation({
    mutationFn: (chosen: User) =>
      api.post<Member>(
        `/api/businesses/${businessId}/members/`,
        { user_id: chosen.id, role, direct: true },
        { business: businessId },
      ),
    onSuccess: (body) => {
      notify(`${body.data.user.username} was added.`, { type: 'success' })
      setUser(null)
      setSearch('')
      client.invalidateQueries({ queryKey: membersKey(businessId) })
    },
    onError: (error) => notify(describeError(error), { type: 'error' }),
  })
  const errors = add.isError ? fieldErrors(add.error) : {}
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (user) add.mutate(user)
  }
  return (
    <Box component="form" aria-label="Add a member directly" onSubmit={submit} noValidate>
      <Typography variant="subtitle1" component="h3">
        Add an existing user
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        Platform admins only: the user becomes a member at once, without an invitation.
      </Typography>
      <Stack direction="row" spacing={2} alignItems="flex-start" flexWrap="wrap" useFlexGap>
        <Autocomplete
          sx={{ width: 340 }}
          size="small"
          options={users.data?.data ?? []}
          loading={users.isFetching}
          value={user}
          onChange={(_event, chosen) => setUser(chosen)}
          inputValue={search}
          onInputChange={(_event, text) => setSearch(text)}
          filterOptions={(options) => options}
          isOptionEqualToValue={(option, value) => option.id === value.id}
          getOptionLabel={(option) =>
            option.email ? `${option.username} (${option.email})` : option.username
          }
          noOptionsText={search ? 'No user found' : 'Type a username, email or name'}
          renderInput={(params) => (
            <TextField {...params} label="User" error={Boolean(errors.user_id)} helperText={errors.user_id} />
          )}
        />
        <RoleSelect label="Role" value={role} roles={roles} onChange={setRole} error={errors.role} />
        <Button label="Add member" type="submit" variant="contained" disabled={!user || add.isPending} />
      </Stack>
    </Box>
  )
}
