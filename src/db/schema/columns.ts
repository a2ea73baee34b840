/** Column types every table file shares. */
import type { ColumnType } from 'kysely'

/** A timestamp column: read as a Date, written as a Date or an ISO string (a default when absent). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** A calendar date column: read and written as 'YYYY-MM-DD'. */
export type DateColumn = ColumnType<string, string, string>
