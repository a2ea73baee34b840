/**
 * One definition of an overdue task, shared by the officer home page, the case page, the tasking pack and staff
 * notifications: a task still open, on a case still open, due before today in London. A task due today is not
 * overdue; a task on a closed case is not overdue (the closure settles it).
 */
import { londonDate } from '../../platform/working-days.js'

/** Today in London, the day overdue is measured against. */
export function taskToday(now: Date): string {
  return londonDate(now)
}

export function isTaskOverdue(
  task: { status: string; due_date: string },
  caseStatus: string | null,
  today: string,
): boolean {
  return task.status === 'open' && caseStatus !== 'closed' && task.due_date < today
}
