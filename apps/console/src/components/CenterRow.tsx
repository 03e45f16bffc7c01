import { Group, type GroupProps } from '@mantine/core'

/** Buttons or links side by side, centred; nothing at all when there are none (`undefined`). */
export function CenterRow({ children, ...group }: GroupProps) {
  if (children === undefined) return null
  return (
    <Group justify="center" {...group}>
      {children}
    </Group>
  )
}
