import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';
import { t } from '../i18n';

/** A screen that throws (or whose code failed to load) shows a Vietnamese notice instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) {
      return this.props.children;
    }
    return (
      <div className="page" role="alert">
        <Result
          status="error"
          title={<h1 style={{ fontSize: 24, margin: 0 }}>{t.app.crashTitle}</h1>}
          subTitle={t.app.crashText}
          extra={
            <Button type="primary" onClick={() => window.location.reload()}>
              {t.app.reload}
            </Button>
          }
        />
      </div>
    );
  }
}
