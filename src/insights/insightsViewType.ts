/** The webview type of Click Insights panels (VS Code restores them by it after a reload). */
export const CLICK_INSIGHTS_VIEW_TYPE = 'directoryRecords.clickInsights';
