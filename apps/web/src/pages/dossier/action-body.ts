import { type ActionBodies } from '../../api/queries';
import { type ActionName } from '../../api/types';

/** What an action modal's form holds (each action uses some of these). */
export interface ActionFormValues {
  assignee?: string;
  nextStep?: string;
  note?: string;
  toStep?: string;
  reason?: string;
  items?: string[];
  reasons?: string[];
  extraWorkingDays?: number;
  amount?: number;
  method?: 'ONLINE' | 'CASH' | 'BANK_TRANSFER';
  reference?: string;
  deliveryMethod?: 'IN_PERSON' | 'POSTAL' | 'ELECTRONIC';
}

const text = (value: string | undefined): string => value?.trim() ?? '';
const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (text(value) ? { [key]: text(value) } : {}) as { [P in K]?: string };
const lines = (values: string[] | undefined): string[] => (values ?? []).map(text).filter(Boolean);

/** The request body of an action from the modal's values (blank optional fields left out). */
export function toActionBody<A extends ActionName>(action: A, v: ActionFormValues): ActionBodies[A];
export function toActionBody(action: ActionName, v: ActionFormValues): ActionBodies[ActionName] {
  switch (action) {
    case 'claim':
      return {};
    case 'assign':
      return { assignee: text(v.assignee) };
    case 'complete':
      return { ...optional('note', v.note), ...optional('nextStep', v.nextStep), ...optional('assignee', v.assignee) };
    case 'return':
      return { toStep: text(v.toStep), reason: text(v.reason) };
    case 'request-supplement':
      return { items: lines(v.items), reason: text(v.reason) };
    case 'submit-supplement':
      return optional('note', v.note);
    case 'refuse':
      return { reasons: lines(v.reasons) };
    case 'request-extension':
      return { extraWorkingDays: v.extraWorkingDays ?? 0, reason: text(v.reason) };
    case 'withdraw':
      return { reason: text(v.reason) };
    case 'request-payment':
      return { amount: v.amount ?? 0, reason: text(v.reason) };
    case 'record-payment':
      return { amount: v.amount ?? 0, method: v.method ?? 'CASH', ...optional('reference', v.reference) };
    case 'return-result':
      return { deliveryMethod: v.deliveryMethod ?? 'IN_PERSON', ...optional('note', v.note) };
  }
}
