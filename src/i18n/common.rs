//! Strings of the page around every analysis: header, privacy note, navigation, progress, notices, and failures that are not any analysis's own.

use super::Text;

catalog! {
    APP_TAGLINE = "Private customer analytics: RFM segments, value tiers and target lists, computed in your browser.",
        "私有化客户分析：RFM 分层、价值分级与目标名单，全部在您的浏览器中计算。";
    PRIVACY_NOTE = "Your data stays on this device: the file is read and analysed inside this browser tab, and nothing is uploaded.",
        "您的数据只留在本机：文件在此浏览器标签页内读取和分析，不会上传任何内容。";
    LANG_SWITCH = "中文", "English";
    THEME_DARK = "Dark", "深色";
    THEME_LIGHT = "Light", "浅色";
    PROGRESS_READING = "Reading and cleaning the file", "正在读取并清洗文件";
    PROGRESS_SCORING = "Scoring customers", "正在为客户评分";
    PROGRESS_EXPORTING = "Writing the export", "正在生成导出文件";
    PROGRESS_STARTING = "Starting", "正在启动";
    CANCEL = "Cancel", "取消";
    CANCELLED = "Cancelled. Nothing you did was lost.", "已取消，您的操作均已保留。";
    ERROR_TITLE = "Something needs your attention", "需要您处理的问题";
    DISMISS = "Dismiss", "关闭";
    CRASHED = "The analysis engine stopped unexpectedly ({0}). It has been restarted; your file and settings are kept.",
        "分析引擎意外停止（{0}），已重新启动；您的文件和设置均已保留。";
    NEW_FILE = "New file", "新文件";
    NAV_LABEL = "Analyses of this file", "此文件的分析";
    NAV_OVERVIEW = "Overview", "概览";
    NAV_CUSTOMERS = "Customers", "客户";
    NAV_SEGMENTS = "Segments", "分群";
    FOOTER = "SegScope runs entirely in your browser. No server, no upload, no tracking.",
        "SegScope 完全在您的浏览器中运行：无服务器、无上传、无追踪。";
    ERR_NOTHING_LOADED = "The analysis engine lost the data (it was restarted). Analyse the file again.",
        "分析引擎已重启，数据已丢失，请重新分析文件。";
    ERR_READ = "The browser could not read the file: {0}", "浏览器无法读取文件：{0}";
    ERR_TOO_MANY_ROWS_FOR_EXCEL = "{0} rows do not fit in one Excel sheet (1,048,575 at most). Export CSV instead, or filter the list first.",
        "{0} 行超出 Excel 单个工作表的上限（最多 1,048,575 行）。请改为导出 CSV，或先筛选名单。";
    ERR_EXPORT_FAILED = "The export could not be written: {0}", "无法生成导出文件：{0}";
    ERR_BAD_MESSAGE = "Internal message error: {0}", "内部消息错误：{0}";
    ERR_NOT_FINITE = "A result held a number too large to show ({0}). Look for extreme amounts or dates in the file.",
        "结果中有一个过大而无法显示的数值（{0}）。请检查文件中是否有极端的金额或日期。";
    ERR_CANCELLED = "Stopped before it finished; nothing you had was changed.", "已在完成前停止；您已有的结果未被改动。";
    ERR_STALE = "This answer was about a file you have since closed, so it was set aside.", "这是关于您已关闭的文件的结果，已忽略。";
    ERR_WORKER_START = "The analysis engine could not start: {0}", "分析引擎无法启动：{0}";
    ERR_DEMO = "The demo data could not be loaded: {0}", "无法加载演示数据：{0}";
    ERR_TOO_BIG_FOR_TAB = "This file ({0}) is too big for a browser tab, which can analyse up to about {1}. Use the command-line tool on this computer instead (segscope rfm FILE; see the README), or export a shorter period.",
        "此文件（{0}）超出了浏览器标签页的处理能力（最多约 {1}）。请改用本机上的命令行工具（segscope rfm 文件；见 README），或导出较短的时间段。";
}
