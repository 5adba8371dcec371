// Two-factor authentication: set it up (QR code or secret key, a first code and the password), keep
// the recovery codes, or turn it off again with the password and a code.
import { useMutation } from '@tanstack/react-query'
import { QRCodeSVG } from 'qrcode.react'
import { type FormEvent, type ReactNode, useId, useState } from 'react'
import { api } from '../../api/client'
import type { paths } from '../../api/schema'
import type { User } from '../../api/types'
import { useAuth } from '../../auth/session'
import { Button, ErrorAlert, Notice } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { CodeField, CurrentPasswordField } from '../auth/fields'
import { FormAlert, formErrors } from '../auth/shared'
import { Section } from './parts'

type Setup = paths['/api/auth/2fa/setup/']['post']['responses'][200]['content']['application/json']['data']
type Enabled = paths['/api/auth/2fa/enable/']['post']['responses'][200]['content']['application/json']['data']

type Phase = { kind: 'idle' } | ({ kind: 'setup' } & Setup) | { kind: 'codes'; codes: string[] }

// A wrong code or password at 2FA answers with a code and no field: show it on the field it is about.
const BY_CODE = { otp_invalid: 'code', password_invalid: 'password' }

export function TwoFactorSection({ user }: { user: User }) {
  const { refresh } = useAuth()
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [turnedOff, setTurnedOff] = useState(false)
  const setup = useMutation({
    mutationFn: async () => (await api.post<Setup>('/api/auth/2fa/setup/')).data,
    onSuccess: (data) => {
      setTurnedOff(false)
      setPhase({ kind: 'setup', ...data })
    },
  })

  const on = user.two_factor_enabled
  const status = (
    <p className="text-sm text-slate-800">
      Status:{' '}
      <span
        className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ${on ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-900'}`}
      >
        {on ? 'On' : 'Off'}
      </span>
    </p>
  )

  let body: ReactNode
  if (phase.kind === 'codes') {
    body = <RecoveryCodes codes={phase.codes} onDone={() => setPhase({ kind: 'idle' })} />
  } else if (on) {
    body = <DisableForm onDone={() => setTurnedOff(true)} />
  } else if (phase.kind === 'setup') {
    body = (
      <EnableForm
        setup={phase}
        onCancel={() => setPhase({ kind: 'idle' })}
        onEnabled={(codes) => {
          setPhase({ kind: 'codes', codes })
          void refresh()
        }}
      />
    )
  } else {
    body = (
      <div className="flex flex-col gap-3">
        <div aria-live="polite">{turnedOff ? <Notice>Two-factor authentication is off.</Notice> : null}</div>
        <ErrorAlert error={setup.error} />
        <Button busy={setup.isPending} onClick={() => setup.mutate()} className="self-start">
          Set up two-factor authentication
        </Button>
      </div>
    )
  }

  return (
    <Section
      title="Two-factor authentication"
      intro="Signing in then also needs a 6-digit code from an authenticator app on your phone, so a stolen password alone is not enough."
    >
      <div className="flex flex-col gap-4">
        {status}
        {body}
      </div>
    </Section>
  )
}

function EnableForm({
  setup,
  onCancel,
  onEnabled,
}: {
  setup: Setup
  onCancel: () => void
  onEnabled: (codes: string[]) => void
}) {
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const enable = useMutation({
    mutationFn: async () =>
      (await api.post<Enabled>('/api/auth/2fa/enable/', { code: code.trim(), password })).data,
    onSuccess: (data) => onEnabled(data.recovery_codes),
  })
  const fields = formErrors(enable.error, BY_CODE)
  const stepsId = useId()

  function submit(event: FormEvent) {
    event.preventDefault()
    enable.mutate()
  }

  return (
    <div className="flex flex-col gap-5">
      <ol id={stepsId} className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app (Google Authenticator, 1Password, Authy, …).</li>
        <li>Scan the QR code, or type the secret key into the app.</li>
        <li>Enter the 6-digit code the app shows, and your current password.</li>
      </ol>
      <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
        <div className="rounded-md border border-slate-200 bg-white p-3">
          <QRCodeSVG
            value={setup.otpauth_url}
            size={176}
            marginSize={1}
            title="QR code for your authenticator app"
            role="img"
            aria-label="QR code for your authenticator app"
          />
        </div>
        <div className="w-full min-w-0 flex-1">
          <TextField
            label="Secret key"
            name="secret"
            value={setup.secret}
            readOnly
            className="w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm tracking-wider [overflow-wrap:anywhere] text-slate-900 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/40"
            onFocus={(event) => event.target.select()}
            hint="For manual entry: type it into your app if you cannot scan the code."
            spellCheck={false}
          />
        </div>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={enable.error} shown={['code', 'password']} byCode={BY_CODE} />
        <div className="grid gap-4 sm:grid-cols-2">
          <CodeField
            label="Code from your app"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            inputMode="numeric"
            error={fields.code}
          />
          <CurrentPasswordField
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={fields.password}
          />
        </div>
        <div className="flex flex-wrap gap-3">
          <Button type="submit" busy={enable.isPending}>
            Turn on two-factor authentication
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </div>
  )
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const headingId = useId()

  async function copyCodes() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(codes.join('\n'))
      setCopy('copied')
    } catch {
      setCopy('failed')
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Notice>Two-factor authentication is on.</Notice>
      <div>
        <h3 id={headingId} className="font-semibold text-slate-900">
          Your recovery codes
        </h3>
        <p className="mt-1 text-sm text-slate-700">
          Keep these somewhere safe, like a password manager. If you lose your phone, each code signs you in
          once in place of an app code. They will not be shown again.
        </p>
      </div>
      <ul
        aria-labelledby={headingId}
        className="grid grid-cols-1 gap-2 rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-base text-slate-900 min-[400px]:grid-cols-2"
      >
        {codes.map((code) => (
          <li key={code} className="select-all">
            {code}
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {copy === 'copied' ? <Notice>The codes are copied to your clipboard.</Notice> : null}
        {copy === 'failed' ? (
          <Notice tone="info">
            Copying is not available here: select the codes above and copy them, or write them down.
          </Notice>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-3">
        <Button variant="secondary" onClick={() => void copyCodes()}>
          Copy codes
        </Button>
        <Button onClick={onDone}>I saved them</Button>
      </div>
    </div>
  )
}

function DisableForm({ onDone }: { onDone: () => void }) {
  const { refresh } = useAuth()
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const disable = useMutation({
    mutationFn: () => api.post('/api/auth/2fa/disable/', { password, code: code.trim() }),
    onSuccess: async () => {
      onDone()
      await refresh()
    },
  })
  const fields = formErrors(disable.error, BY_CODE)

  function submit(event: FormEvent) {
    event.preventDefault()
    disable.mutate()
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">
        To turn it off, enter your current password and a code from your app (or a recovery code).
      </p>
      <FormAlert error={disable.error} shown={['code', 'password']} byCode={BY_CODE} />
      <div className="grid gap-4 sm:grid-cols-2">
        <CurrentPasswordField
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.password}
        />
        <CodeField
          value={code}
          onChange={(event) => setCode(event.target.value)}
          hint="6 digits from your app, or a recovery code."
          error={fields.code}
        />
      </div>
      <Button type="submit" variant="danger" busy={disable.isPending} className="self-start">
        Turn off two-factor authentication
      </Button>
    </form>
  )
}
