import { Button, type ButtonProps, Group, Table, type TableProps, type TableTdProps } from '@mantine/core'
import { Fragment, type ReactNode } from 'react'

export type Column<T> = {
  /** The heading; none for a column of row actions. */
  header?: ReactNode
  /** Needed when two columns share a heading (or have none). */
  key?: string
  cell(row: T): ReactNode
  testId?: string
  cellProps?(row: T): TableTdProps
}

type Props<T> = Omit<TableProps, 'children'> & {
  rows: ReadonlyArray<T>
  /** A column left out of this rendering is `false` (e.g. one the console-api does not report). */
  columns: ReadonlyArray<Column<T> | false>
  rowKey(row: T): string
  rowTestId?(row: T): string
  /** What follows a row, such as its details when opened. */
  after?(row: T): ReactNode
  /** The row's buttons, in a last column without a heading. */
  actions?(row: T): ReadonlyArray<RowAction | false>
  /** Below this width the table scrolls sideways inside its container; the page itself never does. */
  minWidth: number
  scrollType?: 'native' | 'scrollarea'
}

/** Every list of the console: a heading row, then one (striped) row a record, scrolling sideways on a narrow screen. */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  rowTestId,
  after,
  actions,
  minWidth,
  scrollType = 'native',
  striped = true,
  ...table
}: Props<T>) {
  const actionColumn: Column<T> | false = actions !== undefined && {
    key: 'actions',
    cell: (row) => <RowActions actions={actions(row)} />,
  }
  const shown = [...columns, actionColumn].filter((column): column is Column<T> => column !== false)
  const keyOf = (column: Column<T>, index: number) =>
    column.key ?? (typeof column.header === 'string' ? column.header : String(index))
  return (
    <Table.ScrollContainer minWidth={minWidth} type={scrollType}>
      <Table striped={striped} {...table}>
        <Table.Thead>
          <Table.Tr>
            {shown.map((column, index) => (
              <Table.Th key={keyOf(column, index)}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Fragment key={rowKey(row)}>
              <Table.Tr data-testid={rowTestId?.(row)}>
                {shown.map((column, index) => (
                  <Table.Td key={keyOf(column, index)} data-testid={column.testId} {...column.cellProps?.(row)}>
                    {column.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
              {after?.(row)}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

export type RowAction = {
  label: string
  onClick(): void
  color?: string
  /** A quieter button, for what removes or revokes (with `color: 'red'`). */
  subtle?: boolean
  loading?: boolean
}

/** A row's buttons, at the end of the row and never wrapped under each other; `false` leaves one out. */
function RowActions({ actions }: { actions: ReadonlyArray<RowAction | false> }) {
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {actions
        .filter((action): action is RowAction => action !== false)
        .map(({ label, subtle, ...button }) => (
          <RowButton key={label} variant={subtle ? 'subtle' : 'light'} {...button}>
            {label}
          </RowButton>
        ))}
    </Group>
  )
}

type RowButtonProps = ButtonProps & { onClick(): void; 'aria-label'?: string }

/** A row's action button; a destructive one is red and `subtle`. */
export function RowButton({ size = 'compact-sm', variant = 'light', ...props }: RowButtonProps) {
  return <Button size={size} variant={variant} {...props} />
}
