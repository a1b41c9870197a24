import { type ThemeConfig } from 'antd';

/** Ant Design's defaults darkened where text would fall under WCAG AA contrast (4.5:1) on white. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    // Hovered and pressed buttons darken rather than lighten, so white text keeps its contrast.
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorError: '#c41d21',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    colorWarningBg: '#fff7e6',
    colorWarningBorder: '#ffd591',
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorErrorBg: '#fff1f0',
    colorErrorBorder: '#ffa39e',
    colorInfo: '#0958d9',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    fontFamily:
      "'Noto Sans', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif, 'Noto Color Emoji'",
    fontSize: 15,
    borderRadius: 6,
  },
  components: {
    Layout: { headerBg: '#ffffff', headerHeight: 'auto', headerPadding: '0 24px', bodyBg: '#f5f7fa' },
    Menu: { itemColor: 'rgba(0, 0, 0, 0.82)' },
  },
};

/** Colours of the remaining-time bands; each comes with a text label too (never colour alone). */
export const bandColours: Record<string, { background: string; color: string }> = {
  ON_TRACK: { background: '#237804', color: '#ffffff' },
  PAST_HALF: { background: '#ffd666', color: '#262626' },
  PAST_THREE_QUARTERS: { background: '#d46b08', color: '#000000' },
  OVERDUE: { background: '#a8071a', color: '#ffffff' },
  PAUSED: { background: '#595959', color: '#ffffff' },
};

/** Early / on time / late marks on the control sheet, with their words. */
export const timelinessColours: Record<string, { background: string; color: string }> = {
  EARLY: { background: '#237804', color: '#ffffff' },
  ON_TIME: { background: '#0958d9', color: '#ffffff' },
  LATE: { background: '#a8071a', color: '#ffffff' },
};
