// An endpoint's signing secret, which the API shows once (when the endpoint is made, and when its
// secret is rotated): a dialog with the secret, a copy button and the warning that it is gone once
// closed. Only the dialog's own button closes it, so a stray click outside cannot lose the secret.
import ContentCopyIcon from '@mui/icons-material/ContentCopy'
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@mui/material'
import { useId, useRef, useState } from 'react'

export function SecretDialog({
  secret,
  title,
  onClose,
}: {
  /** The secret to show; null keeps the dialog closed. */
  secret: string | null
  title: string
  onClose: () => void
}) {
  const titleId = useId()
  const field = useRef<HTMLInputElement>(null)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'manual'>('idle')

  async function copySecret(text: string) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setCopy('copied')
    } catch {
      // No clipboard here (an insecure origin, a refused permission): select it for a manual copy.
      field.current?.focus()
      field.current?.select()
      setCopy('manual')
    }
  }

  const close = () => {
    setCopy('idle')
    onClose()
  }

  return (
    <Dialog
      open={secret !== null}
      aria-labelledby={titleId}
      onClose={(_event, reason) => reason === 'escapeKeyDown' && close()}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          Copy this secret now and keep it with your receiver: it will not be shown again. If you lose it,
          rotate the secret to get a new one.
        </Alert>
        <DialogContentText sx={{ mb: 2 }}>
          Your receiver checks each request's <code>webhook-signature</code> header with it (Standard
          Webhooks).
        </DialogContentText>
        <TextField
          label="Signing secret"
          value={secret ?? ''}
          inputRef={field}
          fullWidth
          slotProps={{
            htmlInput: { readOnly: true, spellCheck: false, style: { fontFamily: 'monospace' } },
          }}
          onFocus={(event) => event.currentTarget.select()}
        />
        <div aria-live="polite">
          {copy === 'copied' && (
            <Alert severity="success" sx={{ mt: 2 }}>
              The secret is copied to your clipboard.
            </Alert>
          )}
          {copy === 'manual' && (
            <Alert severity="info" sx={{ mt: 2 }}>
              Copying is not available here: the secret is selected, copy it with Ctrl+C (⌘C on a Mac).
            </Alert>
          )}
        </div>
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Button startIcon={<ContentCopyIcon />} onClick={() => secret && copySecret(secret)}>
          Copy secret
        </Button>
        <Button variant="contained" onClick={close}>
          I have saved the secret
        </Button>
      </DialogActions>
    </Dialog>
  )
}
