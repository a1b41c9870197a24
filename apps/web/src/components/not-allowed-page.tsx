import { Alert } from 'antd';
import { t } from '../i18n';

/** A screen the officer's roles do not open: its title and the reason, never a blank page. */
export function NotAllowedPage({ title, reason }: { title: string; reason: string }) {
  return (
    <div className="page">
      <title>{`${title} — ${t.app.name}`}</title>
      <h1 className="page-title">{title}</h1>
      <Alert type="warning" showIcon role="alert" title={reason} />
    </div>
  );
}
