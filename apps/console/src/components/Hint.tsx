import { Text, type TextProps } from '@mantine/core'
import type { ReactNode } from 'react'

/** A dimmed line that explains; nothing at all where there is nothing to say (`undefined`). */
export function Hint({ children, ...text }: TextProps & { children?: ReactNode }) {
  if (children === undefined) return null
  return (
    <Text c="dimmed" {...text}>
      {children}
    </Text>
  )
}
