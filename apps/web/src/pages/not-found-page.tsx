import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { t } from '../i18n';

export default function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <div className="page">
      <title>{`${t.app.notFoundTitle} — ${t.app.name}`}</title>
      <Result
        status="404"
        title={<h1 style={{ fontSize: 24, margin: 0 }}>{t.app.notFoundTitle}</h1>}
        subTitle={t.app.notFoundText}
        extra={
          <Button type="primary" onClick={() => void navigate('/')}>
            {t.app.backHome}
          </Button>
        }
      />
    </div>
  );
}
