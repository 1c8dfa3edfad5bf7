/**
 * The number policy on socket.io payloads that carry numbers: the screen-pop (its recipient is
 * the user offered the call: `own`) and a new task (pushed to its assignee: `own`). The gateway
 * (src/screenpop/gateway.ts) sends every such payload through these.
 */
import type { Role } from '../api/auth';
import type { ScreenPop, TaskPush } from '../screenpop/agent-events';
import { maskPhone } from './mask-phone';
import { showsFull, type NumberPolicy } from './number-policy';

/** Keys of a list contact's fields that hold numbers (a CSV's second number column). */
const NUMBER_KEY = /number|phone|mobile|tel|电话|手机|号码/i;

/** The pop as its recipient (`role`) may see it. */
export function popFor(policy: NumberPolicy, role: Role, pop: ScreenPop): ScreenPop {
  if (showsFull(policy[role]['pop.numbers'], () => true)) return pop;
  return {
    ...pop,
    callerNumber: maskPhone(pop.callerNumber),
    dialedNumber: maskPhone(pop.dialedNumber),
    ...(pop.contact
      ? {
          contact: {
            ...pop.contact,
            fields: Object.fromEntries(
              Object.entries(pop.contact.fields).map(([k, v]) => [
                k,
                NUMBER_KEY.test(k) ? maskPhone(v) : v,
              ]),
            ),
          },
        }
      : {}),
  };
}

/** A task pushed to its assignee (`role`). */
export function taskPushFor(policy: NumberPolicy, role: Role, task: TaskPush): TaskPush {
  if (task.phone === null || showsFull(policy[role]['task.phone'], () => true)) return task;
  return { ...task, phone: maskPhone(task.phone) };
}
