import { Button, TextInput, type TextInputProps } from '@mantine/core'
import { EmptyState } from './EmptyState'

type SearchProps = Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange(value: string): void }

/** A list's search box: it narrows what is on screen and sends nothing. */
export function SearchInput({ value, onChange, ...input }: SearchProps) {
  return <TextInput {...input} value={value} onChange={(e) => onChange(e.currentTarget.value)} />
}

/** A list with records, none of which matches the search. */
export function NoSearchMatch({ what, onClear }: { what: string; onClear(): void }) {
  return (
    <EmptyState
      title={`No ${what} matches the search`}
      actions={
        <Button variant="default" onClick={onClear}>
          Clear search
        </Button>
      }
    />
  )
}
