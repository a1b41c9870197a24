import { Spin } from 'antd';
import { t } from '../i18n';

export function PageLoading() {
  return (
    <div role="status" style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
      <span className="visually-hidden">{t.app.loading}</span>
    </div>
  );
}
