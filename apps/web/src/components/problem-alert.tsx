import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { t } from '../i18n';

/** The Vietnamese sentence for a failed call: the refusal rule first, then the error code, then the status. */
export function problemSentence(error: unknown): string {
  if (error instanceof ApiError) {
    return (
      (error.rule ? t.errors.rules[error.rule] : undefined) ??
      t.errors.codes[error.code] ??
      (error.status === 429 ? t.errors.codes.TOO_MANY_REQUESTS : undefined) ??
      (error.status >= 500 ? t.errors.codes.INTERNAL : t.errors.generic(error.status))
    );
  }
  return t.errors.codes.INTERNAL;
}

/** A refusal as the clerk reads it: the sentence from the catalog, the server's own words beside it. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : '';
  const fieldErrors = error instanceof ApiError ? error.errors : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={title ? `${title}: ${problemSentence(error)}` : problemSentence(error)}
      description={
        detail || fieldErrors.length > 0 ? (
          <>
            {detail && (
              <div>
                {t.errors.serverDetail}: {detail}
              </div>
            )}
            {fieldErrors.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }} aria-label={t.errors.fieldErrors}>
                {fieldErrors.map((e, i) => (
                  <li key={i}>
                    <code>{e.field}</code>: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : undefined
      }
    />
  );
}
