// Which business the console acts in. Staff choose among their memberships; a platform admin may
// also search every business, or act platform-wide. A switch refetches everything and goes home.
import { Autocomplete, TextField, Typography } from '@mui/material'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useNavigate } from 'react-router-dom'
import { api } from '../../api/client'
import type { Business } from '../../api/types'
import { useAccess, useStanding } from '../access'
import { chooseBusiness } from '../business'

type Option = { id: string | null; label: string }

const PLATFORM: Option = { id: null, label: 'All businesses (platform)' }

function optionOf(business: Business): Option {
  return {
    id: business.id,
    label: business.my_role ? `${business.name} · ${business.my_role}` : business.name,
  }
}

/**
 * The business's name beside the page's title: on a phone it takes at most two short lines, so the
 * title keeps its room instead of running under it.
 */
const BUSINESS_NAME = {
  maxWidth: { xs: '40%', sm: '50%' },
  textAlign: 'right',
  lineHeight: 1.25,
  display: '-webkit-box',
  WebkitLineClamp: 2,
  WebkitBoxOrient: 'vertical',
  overflow: 'hidden',
  overflowWrap: 'anywhere',
} as const

export function BusinessSwitcher() {
  const standing = useStanding()
  const access = useAccess()
  const client = useQueryClient()
  const navigate = useNavigate()
  const [search, setSearch] = useState('')
  const found = useQuery({
    queryKey: ['switcher', search],
    queryFn: async () =>
      (await api.get<Business[]>('/api/businesses/', { query: { search, page_size: 20 } })).data,
    enabled: access.platformAdmin,
    staleTime: 30_000,
  })
  if (!standing) return null
  const own = standing.memberships.map(optionOf)
  const options = access.platformAdmin
    ? [PLATFORM, ...own, ...(found.data ?? []).map(optionOf).filter((o) => !own.some((m) => m.id === o.id))]
    : own
  const selected =
    options.find((option) => option.id === access.businessId) ??
    (access.businessId ? { id: access.businessId, label: 'Chosen business' } : PLATFORM)
  if (!access.platformAdmin && own.length < 2)
    return (
      <Typography variant="body2" sx={BUSINESS_NAME}>
        {own[0]?.label}
      </Typography>
    )
  return (
    <Autocomplete
      size="small"
      disableClearable
      options={options}
      value={selected}
      isOptionEqualToValue={(option, value) => option.id === value.id}
      filterOptions={access.platformAdmin ? (list) => list : undefined}
      onInputChange={(_, value, reason) => reason === 'input' && setSearch(value)}
      onChange={async (_, option) => {
        chooseBusiness(option.id)
        setSearch('')
        await client.invalidateQueries()
        navigate('/')
      }}
      sx={{ width: { xs: 160, sm: 300 }, flexShrink: 0, bgcolor: 'background.paper', borderRadius: 1 }}
      renderInput={(params) => <TextField {...params} label="Business" />}
    />
  )
}
