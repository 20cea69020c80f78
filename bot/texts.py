"""Every string the interface shows, in one catalogue (the form's own wording lives in annex2)."""

from __future__ import annotations

from html import escape

BRAND = "民主测评"

# participants
WELCOME = (
    "<b>{unit}</b>\n"
    "建立廉政风险防范机制工作测评表（民主测评）\n\n"
    "共 {count} 题，用按钮作答，约需 3 分钟。作答中可随时点“上一题”修改，提交前还能逐题检查。\n\n"
    "🔒 <b>匿名说明</b>\n"
    "• 答卷只保存所选选项和意见建议，不保存您的账号、姓名、提交时间或提交顺序。\n"
    "• 为防止重复提交，系统只保存一个由您的账号和本次测评经加密运算得到、无法还原的标记，"
    "这个标记与答卷分开存放，互不关联。\n"
    "• 未提交的作答进度仅用于断点续答，提交或放弃后即删除。\n"
    "• 组长只能看到汇总统计，答卷少于 {min_group} 份时不显示各选项的统计。"
)
BEGIN = "开始"
RESUMED = "欢迎回来，从上次的进度继续作答。"
BACK = "⬅ 上一题"
DONE_CHOICES = "完成 ✔"
SKIP_TEXT = "跳过"
KEEP_TEXT = "保留并继续"
CLEAR_TEXT = "不填写，跳过"
SUBMIT = "✅ 提交"
PROGRESS = "第 {step}/{total} 题"
PICK_ONE = "请选择一项："
PICK_UP_TO = "请选择 1 至 {limit} 项，选好后点“完成”。已选 {chosen}/{limit}"
TEXT_PROMPT = "请直接发送文字（不超过 {limit} 字），没有可点“跳过”。"
TEXT_GIVEN = "已填写：\n{text}\n\n如需修改，直接发送新的文字即可。"
REVIEW_TITLE = "<b>请核对您的答卷</b>（点题号可修改，确认无误后点“提交”）"
REVIEW_NONE = "（未填写）"
THANKS = "<b>{unit}</b>\n感谢参加民主测评！您的答卷已匿名提交。\n为保护匿名，此处不再显示您的答案。"
ENDED_FOR_PARTICIPANT = "<b>{unit}</b>\n本次民主测评已结束，不再接收答卷。"
ALREADY_TAKEN_PART = "您已参加过 <b>{unit}</b> 的民主测评，每人只能提交一次。感谢参与！"
LINK_INVALID = "链接无效。请扫描检查考核组展示的二维码，或向组长索取链接。"
NO_SURVEY = "如需参加民主测评，请扫描检查考核组展示的二维码，或打开组长提供的链接。"
CANCELLED = "已放弃未提交的答卷，已填写的内容已删除。如需重新作答，请再次打开测评链接。"
NOTHING_TO_CANCEL = "当前没有未提交的答卷。"
USE_BUTTONS = "请用测评消息下方的按钮作答。"
GROUP_CHAT = "为保护匿名，民主测评只能在与本机器人的私聊中进行。请点开机器人头像，在私聊中打开测评链接。"

# answers to button presses (at most 200 characters each)
ANSWER_SAVED = "已记录"
ANSWER_STALE = "此按钮已失效，请在最新的测评消息中继续作答。"
ANSWER_TOO_MANY = "最多只能选 {limit} 项。如需改选，请先取消一项。"
ANSWER_NONE_CHOSEN = "请至少选择一项。"
ANSWER_UNKNOWN = "无法识别的按钮，未作任何更改。"
ANSWER_ENDED = "本次民主测评已结束，不再接收答卷。"
ANSWER_SUBMITTED = "答卷已提交，感谢参与！"
ANSWER_ALREADY = "您已提交过答卷，每人只能提交一次。"
ANSWER_NO_DRAFT = "没有找到您的作答进度，请重新打开测评链接。"
ANSWER_INCOMPLETE = "第 {number} 题尚未作答，请补充后再提交。"
ANSWER_TEXT_TOO_LONG = (
    "意见建议不能超过 {limit} 字（您发送了 {length} 字），请精简后重新发送。未保存本条内容。"
)
ANSWER_NOT_ALLOWED = "您无权执行此操作。"
ANSWER_STORAGE_ERROR = "暂时无法保存，请稍后再试，已作答的内容不会丢失。"

# group leaders
NOT_A_LEADER = "此命令仅供检查考核组组长使用。"
OPEN_USAGE = "用法：/open 单位名称\n例如：/open 县财政局"
UNIT_TOO_LONG = "单位名称不能超过 {limit} 个字。"
OPENED = (
    "<b>{unit}</b> 的民主测评已开始。\n\n"
    "请在会场屏幕上展示此二维码，参评人员扫码后用手机作答：\n{link}\n\n"
    "查看统计：/tally　结束测评：/close"
)
ALREADY_OPEN = "（此单位的测评已在进行中，以下为原链接。）\n\n"
NO_WINDOWS = "您还没有开启任何测评。用 /open 单位名称 开始。"
NO_SUCH_UNIT = "没有找到您名下名为“{unit}”的测评单位。用 /units 查看全部单位。"
PICK_UNIT_TALLY = "请选择要查看统计的单位："
PICK_UNIT_CLOSE = "请选择要结束测评的单位："
NOTHING_OPEN = "您没有正在进行的测评。"
CONFIRM_CLOSE = (
    "确认结束 <b>{unit}</b> 的民主测评？结束后不再接收答卷，且不能重新开启。\n已收到答卷：{ballots} 份"
)
CONFIRM_CLOSE_BUTTON = "确认关闭"
CANCEL_CLOSE_BUTTON = "取消"
CLOSE_KEPT = "已取消，<b>{unit}</b> 的测评继续进行。"
ALREADY_CLOSED = "<b>{unit}</b> 的测评已经结束。"
UNITS_TITLE = "<b>您的测评单位</b>"
UNIT_LINE = "{status} {unit}：{ballots} 份"
STATUS_OPEN = "🟢 进行中"
STATUS_CLOSED = "⚪ 已结束"
TALLY_TITLE_OPEN = "<b>{unit}</b> 民主测评统计（进行中）"
TALLY_TITLE_CLOSED = "<b>{unit}</b> 民主测评统计（最终结果）"
TALLY_RECEIVED = "已收到答卷：<b>{ballots}</b> 份"
TALLY_HIDDEN = "答卷少于 {min_group} 份，为保护匿名，暂不显示各选项统计。"
TALLY_MULTI_NOTE = "（限选三项，百分比为选择该项的答卷占比）"
SUGGESTIONS_TITLE = "<b>{unit}</b> 其它意见建议（{count} 条，顺序随机）"
NO_SUGGESTIONS = "（无）"

# everyone
HELP_PARTICIPANT = (
    "这是廉政风险防范机制工作民主测评机器人。\n"
    "参评人员：请扫描会场展示的二维码或打开组长提供的链接，按提示用按钮作答，答卷匿名。\n"
    "/cancel 放弃未提交的答卷"
)
HELP_LEADER = (
    "组长命令：\n"
    "/open 单位名称 — 开启测评，生成链接和二维码\n"
    "/tally [单位] — 查看统计\n"
    "/close [单位] — 结束测评并发送最终统计\n"
    "/units — 我的测评单位"
)
COMMANDS_PARTICIPANT = {"start": "开始 / 说明", "cancel": "放弃未提交的答卷", "help": "帮助"}
COMMANDS_LEADER = {
    "open": "开启单位测评：/open 单位名称",
    "tally": "查看统计",
    "close": "结束测评",
    "units": "我的测评单位",
    "help": "帮助",
    "cancel": "放弃未提交的答卷",
}
ERROR_GENERIC = "抱歉，出了点问题，请稍后再试。已保存的作答不会丢失。"


def unit(name: str) -> str:
    """Return a unit name made safe for HTML messages."""
    return escape(name, quote=False)
