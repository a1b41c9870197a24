import { Alert } from 'antd';
import { type Guidance } from '../../api/types';
import { t } from '../../i18n';

/** The form-02 guidance of a refused intake: everything to complete, given once. */
export function GuidancePanel({ guidance }: { guidance: Guidance }) {
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={t.intake.guidanceTitle}
      description={
        <>
          <div style={{ fontWeight: 600 }}>{guidance.title}</div>
          <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
            {guidance.items.map((item) => (
              <li key={item.code}>{t.intake.guidanceItem(item.name, item.form, item.count, item.reason)}</li>
            ))}
          </ul>
          {guidance.note && <div>{guidance.note}</div>}
        </>
      }
    />
  );
}
