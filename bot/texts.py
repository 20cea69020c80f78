"""Every string the interface shows, in one catalogue: Chinese by default, English on request.

The form's own wording (questions and options) is not here: it stays Chinese, verbatim, in
conversations/annex2.py.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import ClassVar
from zoneinfo import ZoneInfo

from reports import counts
from reports.localtime import BEIJING, local, now, offset_label, spoken, spoken_day, zone_name
from reports.wording import COMBINED_NOTE


class Texts:
    """The Chinese interface (the default)."""

    language: ClassVar[str] = "zh"

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
        "• 组长只能看到汇总统计：每满 {min_group} 份答卷才更新一次，少于 {group_min} 人的群体不单独统计。"
    )
    BEGIN = "开始"
    RESUMED = "欢迎回来，从上次的进度继续作答。"
    BACK = "⬅ 上一题"
    DONE_CHOICES = "完成 ✔（{chosen}/{limit}）"
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
    NEEDS_SLIP = (
        "<b>{unit}</b> 的民主测评凭测评码参加（一人一码）。请扫描测评码上的二维码，"
        "或直接把测评码发给我（如 K7M2Q-9XH4P-R3TVC）。"
    )
    LINK_INVALID = "链接无效。请扫描检查考核组展示的二维码，或向组长索取链接。"
    NO_SURVEY = "如需参加民主测评，请扫描检查考核组展示的二维码，或打开组长提供的链接。"
    SLIP_WRONG = "测评码不正确，请核对后重新输入（如 K7M2Q-9XH4P-R3TVC）。如测评已结束，测评码也不再有效。"
    SLIP_USED = "这张测评码已经使用过（<b>{unit}</b>），每张测评码只能用一次。"
    SLIP_ENDED = "<b>{unit}</b> 的民主测评已结束，测评码不再有效。"
    LEADER_NOTHING_PENDING = (
        "现在没有等待您输入的内容。可以：/open 开启测评，/tally 查看统计，/score 评分，"
        "/write 撰写反馈，/report 生成结果反馈；/help 查看全部命令。"
    )
    CANCELLED = "已放弃未提交的答卷，已填写的内容已删除。如需重新作答，请再次打开测评链接。"
    NOTHING_TO_CANCEL = "当前没有未提交的答卷。"
    USE_BUTTONS = "请用测评消息下方的按钮作答。"
    EDITED_IGNORED = "修改已发送的消息不会改变已保存的内容。如需修改意见建议，请在该题重新发送一条消息。"
    GROUP_CHAT = "为保护匿名，民主测评只能在与本机器人的私聊中进行。请点开机器人头像，在私聊中打开测评链接。"

    # answers to button presses (plain text, at most 200 characters)
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
    ANSWER_UP_TO_DATE = "已是最新统计。"
    ANSWER_SLOW_DOWN = "点得太快了，请稍候再点。"
    ANSWER_REFRESHED = "已刷新。"

    # group leaders
    NOT_A_LEADER = "此命令仅供检查考核组组长使用。"
    NOT_AN_ADMIN = "此命令仅供县廉效办管理员使用。"
    OPEN_USAGE = (
        "<b>开启测评</b>（点按例子可复制）\n"
        "• 凭测评码（一人一码）：/open 单位名称 张数，我会生成测评码 PDF，打印裁开后打乱发放，"
        "每张只能提交一次。例如：<code>/open {example} 40</code>\n"
        "• 凭链接：/open 单位名称 [预计人数人]，我会发来二维码和链接，在会场屏幕上展示，"
        "参评人员扫码后用手机匿名作答；填写预计人数后统计中显示“已收到/预计”。"
        "例如：<code>/open {example} 25人</code>"
    )
    OPEN_RECENT = "\n\n您最近的单位：\n{units}"
    OPEN_RECENT_LINE = "<code>/open {unit}</code>{state}"
    OPEN_EXAMPLE = "县财政局"
    UNIT_TOO_LONG = "单位名称不能超过 {limit} 个字。"
    UNIT_CLOSED_FINAL = (
        "<b>{unit}</b> 的民主测评已于 {month}月{day}日 {time} 结束，结果是最终的：共收到答卷 {ballots} 份，"
        "结果见下。\n如确需对该单位再测评一次，请点下方按钮另开一轮（{next}），与已结束的一轮分开统计。"
    )
    NEW_ROUND_BUTTON = "开启{round}（{month}月{day}日）"
    OPENED = (
        "<b>{unit}</b> 的民主测评已开始。{expected}\n\n"
        "请在会场屏幕上展示此二维码，参评人员扫码后用手机作答：\n{link}\n\n"
        "不用手机的人员可填写纸质测评表（点“🖨 空白纸质测评表”打印），"
        "收回后点“📝 录入纸质表”或用 /paper 录入。\n\n"
        "实时统计：/tally　结束测评：/close"
    )
    EXPECTED = "预计 {expected} 人参加。"
    SLIPS_OPENED = (
        "<b>{unit}</b> 的民主测评已开始：凭测评码参加（一人一码），不用链接和海报。\n\n"
        "{status}\n{how}\n\n"
        "不用手机的人员可填写纸质测评表（点“🖨 空白纸质测评表”打印），"
        "收回后点“📝 录入纸质表”或用 /paper 录入。\n\n"
        "实时统计：/tally　结束测评：/close"
    )
    SLIPS_STATUS_NONE = "尚未打印测评码。"
    SLIPS_STATUS = "已打印测评码 <b>{issued}</b> 张。"
    SLIPS_HOW_WEB = (
        "打印后沿虚线裁开，打乱后背面朝上，每人随机取一张。参评人员用手机扫描测评码上的二维码，"
        "在浏览器中作答（用 Telegram 的扫小二维码）；每张只能提交一次，不记名。"
    )
    SLIPS_HOW_TELEGRAM = (
        "打印后沿虚线裁开，打乱后背面朝上，每人随机取一张。参评人员用手机扫描测评码上的二维码，"
        "在 Telegram 中作答，或把测评码发给本机器人；每张只能提交一次，不记名。"
    )
    SLIPS_PRINT_BUTTON = "🎫 打印测评码（{count} 张）"
    SLIPS_MORE_BUTTON = "➕ 补打测评码"
    SLIPS_MORE = "<b>{unit}</b> 补打测评码：已打印 {issued} 张。再打印多少张？"
    SLIPS_MORE_COUNT = "{count} 张"
    SLIPS_BACK = "« 返回"
    SLIPS_CAPTION = (
        "<b>{unit}</b> 测评码 {count} 张（A4，{pages} 页），累计已打印 {issued} 张。\n"
        "打印后沿虚线裁开，打乱后背面朝上发放。本机不保存测评码，这份文件无法重新生成："
        "请勿转发，打印后可删除；遗失时点“➕ 补打测评码”另打新码。"
    )
    SLIPS_FILE: ClassVar[str] = "测评码_{unit}_{count}张.pdf"
    ANSWER_SLIPS_PRINTING = "正在生成测评码 PDF…"
    SLIPS_ALREADY_PRINTED = (
        "这些测评码已经打印过（可能是重复点击），请看上面的 PDF；需要更多请点“➕ 补打测评码”。"
    )
    SLIPS_TOO_MANY = "一次最多打印 {limit} 张测评码。"
    SLIPS_NOT_SLIPS = "<b>{unit}</b> 凭链接参加，没有测评码。"
    SLIPS_NO_FONT = "本机未安装中文字体，无法生成测评码 PDF，请联系管理员。"
    SLIPS_LINK_UNIT = "（此单位已凭链接开启，不能改为测评码；如需一人一码，请结束后另行开启。）\n\n"
    POSTER_CAPTION = "A4 海报（单位名称、二维码、链接和作答步骤），可打印张贴在会场。"
    ALREADY_OPEN = "（此单位的测评已在进行中，以下为原链接。）\n\n"
    ALREADY_OPEN_SLIPS = "（此单位的测评已在进行中。）\n\n"
    NO_WINDOWS = "您还没有开启任何测评。用 /open 单位名称 开始。"
    NO_SUCH_UNIT = "没有找到您名下名为“{unit}”的测评单位。用 /units 查看全部单位。"
    NO_SUCH_UNIT_PICK = "没有找到名为“{unit}”的测评单位。{prompt}"
    PICK_UNIT_TALLY = "请选择要查看统计的单位："
    PICK_UNIT_CLOSE = "请选择要结束测评的单位："
    PICK_UNIT_CHART = "请选择要生成图表的单位："
    PICK_UNIT_EXPORT = "请选择要导出的单位："
    PICK_UNIT_SCORE = "请选择要评分的单位（附件1）："
    PICK_UNIT_REPORT = "请选择要查看检查考核结果的单位："
    PICK_UNIT_WRITE = "请选择要撰写结果反馈的单位："
    PICK_UNIT_PAPER = "请选择要录入纸质测评表的单位（进行中）："

    # paper ballots (纸质测评表), keyed in by the group
    PAPER_BRAND = "纸质测评表录入"
    PAPER_INTRO = (
        "<b>{unit}</b> 纸质测评表录入\n\n"
        "不用手机作答的人员可填写纸质测评表，收回后由您逐份录入，与手机答卷一并统计。\n"
        "• 按纸质表逐题点选，题目和规则与手机作答相同，限选三项的行最多选 3 项。\n"
        "• 某一行<b>多勾</b>（单选行勾了两项及以上、限选三项的行勾了四项及以上）或<b>未勾</b>的，"
        "点“✖ 本项作废”：该行不计入这一题的统计，其余各题照常计入。\n"
        "• 意见建议请照录发送，没有的点“跳过”。核对无误后点“录入此份”，再点“录入下一份”。\n\n"
        "🔒 录入的纸质表与手机答卷一样匿名保存，不记录录入人和录入顺序；录入前可将纸质表打乱顺序。"
    )
    PAPER_BEGIN = "📝 开始录入"
    PAPER_COUNTS_LINE = "\n\n📄 纸质表：已发放 {issued} 份 · 无效 {invalid} 份"
    PAPER_COUNTS_BUTTON = "🧮 纸质表份数（发放 / 无效）"
    PAPER_COUNTS = (
        "<b>{unit}</b> 纸质表份数\n\n"
        "已发放：<b>{issued}</b> 份（在录入台发出的纸质测评表，计入“共发放”）\n"
        "无效：<b>{invalid}</b> 份（收回后整份无法辨认、不录入的纸质表，计入“收回”，不计入“有效”）\n\n"
        "发出或收回时点相应按钮；点错了点“−1”更正。"
    )
    PAPER_ISSUED_ADD = "发放 +{count}"
    PAPER_INVALID_ADD = "无效 +1"
    PAPER_ISSUED_UNDO = "发放 −1"
    PAPER_INVALID_UNDO = "无效 −1"
    PAPER_BACK = "« 返回录入"
    ANSWER_PAPER_COUNTED = "已发放 {issued} 份 · 无效 {invalid} 份"
    ANSWER_PAPER_COUNT_MOVED = "份数刚已变动（可能是重复点击），现为：已发放 {issued} 份 · 无效 {invalid} 份"
    PAPER_INVITE_BUTTON = "👥 邀请组员录入"
    PAPER_INVITE = (
        "请把此链接发给协助录入的检查组成员（仅限一人使用，本单位测评结束后失效）：\n{link}\n\n"
        "对方打开后，即可在自己与机器人的私聊中录入 <b>{unit}</b> 的纸质测评表。"
    )
    PAPER_JOINED = "您已受邀录入以下单位的纸质测评表。\n\n"
    NOT_A_KEYER = "此命令供组长和受邀录入纸质测评表的组员使用。"
    PAPER_FORM_BUTTON = "🖨 空白纸质测评表"
    PAPER_KEY_BUTTON = "📝 录入纸质表"
    PAPER_FORM_FILE: ClassVar[str] = "纸质测评表_{unit}.docx"
    PAPER_FORM_CAPTION = "<b>{unit}</b> 纸质测评表（附件2，A4），供不用手机的人员填写。收回后用 /paper 录入。"
    PAPER_REVIEW_TITLE = "<b>请与纸质表核对</b>（点题号可修改，一致后点“录入此份”）"
    PAPER_SUBMIT = "✅ 录入此份"
    PAPER_NEXT = "📝 录入下一份"
    PAPER_KEYED = (
        "<b>{unit}</b>\n已录入一份纸质测评表，与手机答卷一并匿名统计。\n"
        "请取下一份纸质表，点“录入下一份”；全部录完即可。"
    )
    ANSWER_PAPER_KEYED = "已录入"
    SPOIL = "✖ 本项作废（多勾或未勾）"
    SPOILED_NOTE = "（此行已按作废录入；点选项可改为有效答案）"
    REVIEW_SPOILED = "（作废）"
    ANSWER_PAPER_TOO_MANY = "最多只能选 {limit} 项。纸质表上这一行勾了 {more} 项及以上的，请点“✖ 本项作废”。"
    ANSWER_NOT_KEYER = "您不能录入这个单位的纸质测评表。"
    NOTHING_OPEN = "您没有正在进行的测评。"
    CONFIRM_CLOSE = (
        "确认结束 <b>{unit}</b> 的民主测评？结束后不再接收答卷，且不能重新开启。\n已收到答卷：{ballots} 份"
    )
    CONFIRM_CLOSE_BUTTON = "确认结束"
    CLOSE_KEYING = (
        "\n\n⚠ 还有 {count} 份纸质表正在录入，尚未录入完成{review}。现在结束，这些表将不能再录入。"
        "可等录入完成后再结束：点“⏳ 等待录入”查看最新情况。"
    )
    CLOSE_KEYING_REVIEW = "（其中 {review} 份已在核对页，只差点“录入此份”）"
    CLOSE_WAIT_BUTTON = "⏳ 等待录入"
    KEYER_CLOSING = (
        "组长准备结束 <b>{unit}</b> 的民主测评。您正在录入的纸质表尚未录入，请尽快核对并点“录入此份”。"
    )
    KEYER_CUT_OFF = (
        "<b>{unit}</b> 的民主测评已结束，您正在录入的一份纸质表未能录入，不计入结果。请将这份纸质表交给组长。"
    )
    CANCEL_CLOSE_BUTTON = "取消"
    REFRESH_BUTTON = "🔄 刷新"
    CLOSE_BUTTON = "结束测评"
    CLOSE_KEPT = "已取消，<b>{unit}</b> 的测评继续进行。"
    ALREADY_CLOSED = "<b>{unit}</b> 的测评已经结束。"
    ANSWER_CLOSE_NOT_WRITTEN = "未能结束：服务器磁盘已满或数据库文件只读。测评仍在进行，答卷都在。"
    CLOSE_NOT_WRITTEN = (
        "⚠️ <b>{unit}</b> 的测评<b>没有结束</b>：服务器磁盘已满，或数据库文件只读，结束所需的写入没有完成，"
        "什么都没有改变。测评仍在进行，已收到的 {ballots} 份答卷都在，一份未少，仍可继续收卷。"
        "请联系服务器运维人员腾出磁盘空间（或恢复写权限）后，再点“确认结束”。"
    )
    CLOSED_NOT_REBUILT = (
        "⚠️ <b>{unit}</b> 的测评<b>已经结束</b>，全部答卷都已计入最终结果。但服务器磁盘已满、数据库文件只读，"
        "或另有程序正在读取它，结束后的清理（销毁本单位的密钥、重建数据库文件以抹去答卷先后的痕迹）尚未完成："
        "机器人每分钟重试一次，启动时也会重试，完成前请勿复制或备份数据库。请联系服务器运维人员腾出磁盘空间。"
    )
    UNITS_TITLE = "<b>您的测评单位</b>"
    UNITS_TITLE_ALL = "<b>全部测评单位</b>（按组长）"
    UNIT_LINE = "{status} {unit}：{ballots} 份"
    LEADER_HEADING = "👤 {name} · {id}"
    STATUS_OPEN = "🟢 进行中"
    STATUS_CLOSED = "⚪ 已结束"
    CHART_CAPTION = "<b>{unit}</b> 民主测评图表（{state}）"
    CHART_UNAVAILABLE = "本机未安装中文字体，暂不能生成图表，请参阅文字统计。"
    EXPORT_CAPTION = "<b>{unit}</b> 民主测评结果（最终结果）：汇总、答卷、意见建议，另附 CSV 答卷。"
    EXPORT_CAPTION_OPEN = "<b>{unit}</b> 民主测评汇总（进行中）：答卷明细、分类统计和意见建议在结束后提供。"
    STATE_OPEN = "进行中"
    STATE_CLOSED = "最终结果"

    # the tally
    TALLY_TITLE_OPEN = "<b>{unit}</b> 民主测评统计（进行中）"
    TALLY_TITLE_CLOSED = "<b>{unit}</b> 民主测评统计（最终结果）"
    WINDOW_OPENED_AT = "开始时间：{opened}"
    WINDOW_CLOSED_AT = "开始时间：{opened}　结束时间：{closed}"
    TALLY_RECEIVED = "已收到答卷：<b>{ballots}</b> 份"
    # The office's counts, worded as its papers word them (reports/counts.py).
    TALLY_COUNTS_SLIPS = counts.SLIPS_LINE
    TALLY_COUNTS_PAPER = counts.PAPER_LINE
    TALLY_COUNTS_LINK = counts.LINK_LINE
    TALLY_SPLIT = "共 {ballots} 份，其中纸质 {paper} 份"
    TALLY_SPLIT_COUNTED = "已统计的 {ballots} 份中，纸质 {paper} 份"
    TALLY_SPOILED = "作废行（纸质表多勾或未勾，不计入该题）：{rows}"
    TALLY_SPOILED_ROW = "{prompt} {count} 份"
    TALLY_ITEM_SPOILED = "作废 {count} 份（不计入此题）"
    TALLY_RECEIVED_OF = "已收到答卷：<b>{ballots}/{expected}</b> 份"
    # Over the headcount: what to check, from the likeliest innocent cause (the headcount, paper keyed twice).
    TALLY_CHECK_ALL = (
        "请核对：应到人数是否填对；纸质表有无重复录入，有无人既用手机作答又交了纸质表；"
        "有无人用多个账号提交，或链接传给了测评范围以外的人。"
    )
    TALLY_OVER_EXPECTED = "⚠️ 收到 {ballots} 份，超过应到人数 {expected}。" + TALLY_CHECK_ALL
    TALLY_OVER_SPLIT = (
        "⚠️ 收到 {ballots} 份（手机 {phones} 份、纸质表录入 {paper} 份），超过应到人数 {expected}。"
    )
    TALLY_OVER_PHONES = (
        "仅手机答卷就超过了应到人数：可能有人用多个账号提交，或链接传给了测评范围以外的人；"
        "也请核对应到人数是否填对。"
    )
    TALLY_OVER_PAPER = (
        "手机答卷没有超过应到人数，多出的来自纸质表：请核对纸质表有无重复录入、有无人既用手机作答又交了纸质表，"
        "以及应到人数是否填对。"
    )
    TALLY_FROZEN = (
        "⚠️ 收到 {ballots} 份，超过应到人数 {room}：{figures}"
        "（结束后的最终结果包括全部答卷）。多出的答卷可被用来推出某个人的答案。" + TALLY_CHECK_ALL
    )
    TALLY_FROZEN_SLIPS = (
        "⚠️ 收到 {ballots} 份，超过已发放的测评码和纸质表（{room} 份）：{figures}"
        "（结束后的最终结果包括全部答卷）。多出的答卷可被用来推出某个人的答案，请核对发放数。"
    )
    FROZEN_FIGURES = "各选项统计停在前 {counted} 份，到结束都不再更新"
    FROZEN_NO_FIGURES = "为保护匿名，各选项统计到结束后才显示"
    TALLY_BATCHED = (
        "以下统计含前 {counted} 份答卷（每满 {min_group} 份更新一次，最新一批在结束后计入；"
        "按参评对象的统计在结束后提供）。"
    )
    TALLY_HIDDEN = "答卷少于 {min_group} 份，为保护匿名，不显示各选项统计。"
    TALLY_HIDDEN_OPEN = (
        "为保护匿名，进行中的统计总是保留最新一批（{min_group} 份）到结束后再计入，"
        "收到 {first} 份后开始显示各选项统计。"
    )
    TALLY_FAVOURABLE = "民主测评满意率：<b>{rate}</b>"
    TALLY_BY_CATEGORY = "按参评对象："
    TALLY_COMBINED = "{groups}（合并）{rate}"
    TALLY_TOO_SMALL = "按参评对象：每类人数都太少，为保护匿名不分类显示。"
    TALLY_COMBINED_HINT = "（人数少的类别合并统计，原因见“❓ 合并规则”）"
    COMBINED_BUTTON = "❓ 合并规则"
    TALLY_CLOSED_BELOW = "<b>{unit}</b> 的民主测评已结束，最终结果见下方。"
    TALLY_GROUP_SEPARATOR = "、"
    TALLY_NO_CATEGORY = "参评对象作废 {count} 份"
    TALLY_COMBINED_NOTE = COMBINED_NOTE
    TALLY_ITEM_RATE = "满意率 {rate}"
    TALLY_RANKED = "按选择人数排序："
    SUGGESTIONS_TITLE = "<b>{unit}</b> 其它意见建议（{count} 条，顺序随机）"
    NO_SUGGESTIONS = "（无）"

    # admins
    INVITE_CREATED = (
        "组长邀请链接（仅限一人使用，{hours} 小时内有效，至 {expires}）：\n{link}\n\n"
        "打开此链接的人将成为检查考核组组长。"
    )
    INVITE_ACCEPTED = "您已成为检查考核组组长。\n\n"
    INVITE_SPENT = "此邀请链接已被使用或已过期，请向县廉效办索取新链接。"
    LEADERS_TITLE = "<b>检查考核组组长</b>"
    LEADER_CONFIGURED = "• {official} · {id}（配置文件）"
    LEADER_INVITED = "• {official} · {name}（{id}），{date} 由邀请加入"
    LEADER_UNNAMED = "⚠ 未登记姓名"
    NO_LEADERS = "（尚无组长）"
    REVOKE_USAGE = "用法：/revoke 用户ID（或发送 /leaders，点组长旁的“撤销”）"
    REVOKE_PICK = "请选择要撤销的组长（仅限经邀请加入的；配置文件中的组长请修改 SURVEY_LEADERS）："
    REVOKE_NONE = "没有经邀请加入的组长可撤销（配置文件中的组长请修改 SURVEY_LEADERS 后重启）。"
    REVOKE_BUTTON = "撤销 {name}"
    REVOKE_CONFIRM = "确认撤销 <b>{name}</b>（{id}）的组长身份？其已开启的测评单位仍保留。"
    REVOKE_CONFIRM_BUTTON = "确认撤销"
    REVOKE_KEPT = "已取消，{name}（{id}）仍是组长。"
    REVOKED = "已撤销 {id} 的组长身份。其已开启的测评单位仍保留。"
    REVOKE_CONFIGURED = "{id} 是在 SURVEY_LEADERS 中配置的组长，请修改配置后重启。"
    REVOKE_UNKNOWN = "{id} 不是经邀请加入的组长。"

    # files and charts speak the form's language (Chinese) for every reader
    CHART_TITLE_OPEN: ClassVar[str] = "{unit} 民主测评（进行中）\n已统计：{split} · {date}"
    CHART_TITLE_CLOSED: ClassVar[str] = "{unit} 民主测评（最终结果）\n{split} · {date}"
    CHART_TITLE_SPOILED: ClassVar[str] = "\n作废行（不计入该题）：{rows}"
    EXPORT_FILE: ClassVar[str] = "民主测评_{unit}.xlsx"
    EXPORT_CSV_FILE: ClassVar[str] = "民主测评_{unit}_答卷.csv"
    REPORT_FILE: ClassVar[str] = "检查考核结果反馈_{unit}.docx"
    REPORT_DRAFT_FILE: ClassVar[str] = "检查考核结果反馈_{unit}_草稿.docx"
    POSTER_FILE: ClassVar[str] = "测评二维码海报_{unit}.pdf"
    SUMMARY_FILE: ClassVar[str] = "全县检查考核汇总.xlsx"
    LIST_SEPARATOR = "；"
    REVIEW_LINE = "{number}. {prompt}：{value}"
    REPORT_SECTION_SCORE = "  {title}：{points}/{max}"
    REPORT_TOP_ITEM = "{label}（{count}）"
    SUMMARY_BAND = "{band} {count}"
    SUMMARY_BAND_SEPARATOR = "，"

    # the Annex 1 score sheet, the unit report and the county summary
    SCORE_BRAND = "检查评分（附件1）"
    SCORE_PROGRESS = "第 {step}/{total} 项"
    SCORE_SUBTOTAL = "{section}：本部分 {points}/{max} 分 · 合计 {total} 分"
    SCORE_ITEM = "<b>{prompt}</b>（满分 {max} 分）"
    SCORE_PICK = "请选择得分："
    SCORE_BACK = "⬅ 上一项"
    SCORE_REVIEW = "<b>{unit}</b> 检查评分（附件1）"
    SCORE_REVIEW_HINT = "点项目序号可修改；确认无误后点“定稿”。定稿后不能再改。"
    SCORE_SECTION_LINE = "{title}：<b>{points}</b>/{max}"
    SCORE_ITEM_LINE = "  {number}. {text}：{points}/{max}"
    SCORE_TOTAL = "合计：<b>{total}</b>/100　等级：<b>{grade}</b>"
    SCORE_TOTAL_OPEN = "合计：<b>{total}</b>/100（尚有 {missing} 项未评分）"
    SCORE_FINALISE = "📝 定稿"
    SCORE_CONFIRM = "确认定稿 <b>{unit}</b> 的检查评分？合计 {total} 分，等级 {grade}。定稿后不能再修改。"
    SCORE_CONFIRM_BUTTON = "确认定稿"
    SCORE_FINALISED = "已于 {at} 由 {name} 定稿。"
    SCORE_ALREADY_FINAL = "此评分表已定稿，不能再修改。"
    SCORE_INCOMPLETE = "还有 {missing} 项未评分，不能定稿。"
    SCORE_NOT_YOURS = "只有开启该单位测评的组长可以评分。"
    ME_USAGE = (
        "用法：/me 姓名 检查组\n例如：/me 张三 第一检查组\n\n"
        "登记后，检查评分的定稿人、单位检查考核结果和全县汇总中的组长均使用此姓名和检查组，"
        "而不是 Telegram 昵称。"
    )
    ME_CURRENT = "您登记的姓名和检查组：<b>{label}</b>\n如需修改，请发送：/me 姓名 检查组"
    ME_SET = "已登记：<b>{label}</b>。定稿记录、报告和全县汇总将使用此姓名和检查组。"
    ME_TOO_LONG = "姓名不超过 {name} 个字，检查组不超过 {group} 个字。"
    ME_NEEDED = "定稿前请先登记您的真实姓名和检查组：发送 /me 姓名 检查组（例如 /me 张三 第一检查组）。"
    UNREGISTERED = "{name}（未登记姓名）"
    LEADERS_UNNAMED = "尚未用 /me 登记姓名和检查组：{count} 人"
    REPORT_TITLE = "<b>{unit}</b> 检查考核结果（供结果反馈）"
    REPORT_SCORE_NONE = "检查评分：尚未开始"
    REPORT_SCORE_DRAFT = "检查评分（未定稿）：{total}/100，尚有 {missing} 项未评分"
    REPORT_SCORE = "检查评分：<b>{total}</b>/100，等级 <b>{grade}</b>{state}"
    REPORT_SCORE_STATE_DRAFT = "（未定稿）"
    REPORT_SURVEY = "民主测评：收到答卷 {received} 份，满意率 <b>{rate}</b>{state}"
    REPORT_SURVEY_OPEN = "（测评进行中，按批统计，最新一批在结束后计入）"
    REPORT_TOP_IMPROVE = "最需改进（前三）：{items}"
    REPORT_TOP_RISKS = "最突出风险（前三）：{items}"
    REPORT_SUGGESTIONS = "意见建议：{count} 条（见文档）"
    REPORT_CAPTION = "<b>{unit}</b> 检查考核结果反馈（Word 文档，可直接打印或转发）"
    REPORT_CAPTION_DRAFT = "<b>{unit}</b> 检查考核结果反馈<b>草稿</b>（Word 文档，供核对，不作正式文件）"
    REPORT_DRAFT = "⚠ <b>这是草稿</b>，不能打印或转发。定稿还差："
    REPORT_DRAFT_AGAIN = "完成后点“📄 重新生成”，即生成正式的结果反馈。"
    REPORT_AGAIN_BUTTON = "📄 重新生成"
    REPORT_BUTTON = "📄 生成结果反馈"
    REPORT_MISSING_SCORE_NONE = "· 检查评分尚未开始"
    REPORT_MISSING_SCORE_UNFINISHED = "· 检查评分尚有 {missing} 项未评"
    REPORT_MISSING_SCORE_DRAFT = "· 检查评分尚未定稿"
    REPORT_MISSING_WRITINGS_DRAFT = "· 肯定成绩、存在不足、改进意见尚未定稿"
    REPORT_MISSING_SURVEY_OPEN = "· 民主测评尚未结束（/close {unit}）"
    REPORT_MISSING_UNREGISTERED = "· 组长姓名尚未登记：发送 /me 姓名 检查组（例如 /me 张三 第一检查组）"
    REPORT_SCORE_BUTTON = "去评分"
    REPORT_WRITE_BUTTON = "去填写反馈意见"
    REPORT_SUGGESTIONS_LATER = "意见建议：测评结束后提供"
    SUMMARY_TITLE = "<b>全县检查考核汇总</b>（{count} 个单位）"
    SUMMARY_LINE = "{unit}｜{leader}｜{ballots} 份{paper}｜满意率 {rate}｜{score}"
    SUMMARY_PAPER = "，其中纸质 {paper} 份"
    SUMMARY_BANDS = "等级分布：{bands}"
    SUMMARY_NO_SCORE = "未评分"
    SUMMARY_CAPTION = "全县汇总表（可按任一列排序筛选）"

    # 扣分理由 and photos, the leader's sections, the group's report
    NOTE_BUTTON = "📝 理由/照片"
    NOTE_REASON_MARK = "　理由：{reason}"
    NOTE_REASON_MISSING = "　⚠ 未填扣分理由"
    NOTE_PHOTOS_MARK = "　📷 {count}"
    NOTE_PROMPT = (
        "<b>{unit}</b> · 扣分理由与照片\n{number}. {text}\n得分：{points}/{max}\n\n"
        "当前理由：{reason}\n照片：{photos} 张"
    )
    NOTE_ASK = "请直接发送扣分理由（不超过 {limit} 字），也可发送实地查看时拍摄的照片。不填写点“完成”。"
    NOTE_NONE = "（未填写）"
    NOTE_DONE = "完成 ➡"
    NOTE_SAVED = "已记录扣分理由。"
    NOTE_SAVED_HINT = "可继续发送本项的照片；点“完成”返回评分表。"
    NOTE_EDIT_REASON = "✎ 修改理由"
    NOTE_PHOTO_ADDED = "已附照片：此项共 {count} 张。可继续发送照片或扣分理由，点“完成”返回评分表。"
    NOTE_PHOTO_ADDED_AFTER = "已附照片到第 {number} 项“{text}”：此项共 {count} 张。"
    NOTE_LOCKED = "评分表已定稿，扣分理由和照片不能再改。"
    NOTES_NOT_YOURS = "只有开启该单位测评的组长可以填写。"
    TEXT_TOO_LONG = "不能超过 {limit} 字（您发送了 {length} 字），请精简后重新发送。未保存本条内容。"
    SECTION_TITLES: ClassVar[dict[str, str]] = {
        "strengths": "肯定成绩",
        "shortcomings": "存在不足",
        "improvements": "改进意见",
        "practice": "好经验好做法",
    }
    WRITE_TITLE = "<b>{unit}</b> 结果反馈：组长撰写部分"
    WRITE_LINE = "<b>{section}</b>：{text}"
    WRITE_EMPTY = "（未填写）"
    WRITE_ASK = "请发送“{section}”（不超过 {limit} 字，可分段）。不改点“跳过”。"
    WRITE_SKIP = "跳过 ➡"
    WRITE_EDIT = "✎ {section}"
    WRITE_FINALISE = "📝 定稿"
    WRITE_CONFIRM = (
        "确认定稿 <b>{unit}</b> 的结果反馈文字？定稿后如需修改，结果反馈定稿前可自行重新打开，"
        "之后须由县廉效办管理员重新打开。"
    )
    WRITE_CONFIRM_EMPTY = "以下部分尚未填写：{sections}。定稿后，结果反馈中这些部分将为空。"
    WRITE_CONFIRM_BUTTON = "确认定稿"
    WRITE_NOTHING_WRITTEN = "四个部分都还没有填写，不能定稿。请先填写肯定成绩、存在不足、改进意见。"
    WRITE_REOPEN = "✎ 重新打开修改"
    WRITE_REOPENED = "已重新打开，修改后请再次定稿。"
    WRITE_REOPEN_ASK_ADMIN = "结果反馈已定稿。如需修改这部分文字，请联系县廉效办管理员重新打开。"
    WRITE_REOPENED_LINE = "{at} 由{who}重新打开（原于 {was} 定稿）"
    WRITE_BY_ADMIN = "县廉效办管理员"
    WRITE_BY_LEADER = "组长"
    WRITE_REOPENED_BY_ADMIN = (
        "县廉效办管理员已重新打开 <b>{unit}</b> 的结果反馈文字。发送 /write {unit} 修改，改好后请再次定稿。"
    )
    WRITE_FINAL = "已定稿。点“📄 生成结果反馈”即可得到 <b>{unit}</b> 的检查考核结果反馈。"
    WRITE_LOCKED = "结果反馈文字已定稿，不能再修改。"
    GROUP_USAGE = "用法：/groupreport 检查组名称\n已登记的检查组：{groups}"
    GROUP_PICK = "请选择要生成总结报告的检查组（也可发送 /groupreport 检查组名称）："
    GROUP_NOT_FOUND = "没有找到检查组“{group}”的测评单位。"
    GROUP_FILE: ClassVar[str] = "检查考核总结报告_{group}.docx"
    GROUP_FILE_FALLBACK: ClassVar[str] = "检查考核组"
    GROUP_CAPTION = "<b>{group}</b> 检查考核总结报告（Word 文档，{count} 个单位）"
    GROUP_CONCLUSIONS_BUTTON = "✎ 结论和建议"
    GROUP_ASK = "请发送本组的“结论和建议”（不超过 {limit} 字，可分段）。\n当前：{text}"
    GROUP_SAVED = "已保存结论和建议。点“📄 重新生成总结报告”即可得到含此结论的报告。"
    GROUP_AGAIN_BUTTON = "📄 重新生成总结报告"

    # everyone
    HELP_PARTICIPANT = (
        "这是廉政风险防范机制工作民主测评机器人。\n"
        "参评人员：请扫描会场展示的二维码或打开组长提供的链接，按提示用按钮作答，答卷匿名。\n"
        "/cancel 放弃未提交的答卷"
    )
    HELP_LEADER = (
        "组长命令：\n"
        "/open 单位名称 张数 — 凭测评码开启测评（一人一码），打印测评码\n"
        "/open 单位名称 [预计人数人] — 凭链接开启测评，生成链接和二维码\n"
        "/tally [单位] — 实时统计（自动更新）\n"
        "/close [单位] — 结束测评，发送最终统计、图表和表格\n"
        "/chart [单位] — 统计图表\n"
        "/export [单位] — 导出 Excel 和 CSV\n"
        "/score [单位] — 检查评分（附件1）\n"
        "/report [单位] — 单位检查考核结果\n"
        "/units — 我的测评单位\n"
        "/write [单位] — 撰写结果反馈（肯定成绩、存在不足、改进意见、好经验好做法）\n"
        "/groupreport — 本组检查考核总结报告\n"
        "/me 姓名 检查组 — 登记真实姓名和检查组（用于定稿和报告）\n"
        "/paper [单位] — 录入纸质测评表，或打印空白纸质表"
    )
    HELP_ADMIN = (
        "管理员命令：\n/summary — 全县汇总\n/groupreport — 检查组总结报告（点选检查组）\n"
        "/invite — 生成组长邀请链接\n/leaders — 组长名单（可点“撤销”）\n/revoke — 撤销经邀请加入的组长"
    )
    COMMANDS_PARTICIPANT: ClassVar[dict[str, str]] = {
        "start": "开始 / 说明",
        "cancel": "放弃未提交的答卷",
        "help": "帮助",
    }
    COMMANDS_LEADER: ClassVar[dict[str, str]] = {
        "open": "开启单位测评：/open 单位名称 张数（测评码）或 /open 单位名称（链接）",
        "tally": "实时统计",
        "close": "结束测评",
        "chart": "统计图表",
        "export": "导出 Excel / CSV",
        "score": "检查评分（附件1）",
        "report": "单位检查考核结果",
        "write": "撰写结果反馈",
        "groupreport": "本组总结报告",
        "units": "我的测评单位",
        "paper": "录入纸质测评表",
        "me": "登记姓名和检查组：/me 姓名 检查组",
        "help": "帮助",
        "cancel": "放弃未提交的答卷",
    }
    COMMANDS_ADMIN: ClassVar[dict[str, str]] = {
        "summary": "全县汇总",
        "groupreport": "检查组总结报告",
        "units": "全部测评单位",
        "tally": "统计",
        "chart": "统计图表",
        "export": "导出 Excel / CSV",
        "invite": "生成组长邀请链接",
        "leaders": "组长名单",
        "revoke": "撤销组长",
        "help": "帮助",
    }
    ERROR_GENERIC = "抱歉，出了点问题，请稍后再试。已保存的作答不会丢失。"
    STORAGE_FAILED = "抱歉，暂时无法保存（服务器存储故障），请稍后再试。已保存的作答不会丢失。"


class EnglishTexts(Texts):
    """The English interface, for users whose Telegram speaks English."""

    language: ClassVar[str] = "en"

    BRAND = "Evaluation"
    WELCOME = (
        "<b>{unit}</b>\n"
        "建立廉政风险防范机制工作测评表 (democratic evaluation)\n\n"
        "{count} questions, answered with buttons; about 3 minutes. ⬅ goes back at any time, and you "
        "can check every answer before submitting. The form itself is in Chinese.\n\n"
        "🔒 <b>Anonymity</b>\n"
        "• Your ballot stores only the options you chose and your suggestion: not your account, name, "
        "the time or the order of submission.\n"
        "• To prevent double submission the bot keeps only an irreversible keyed hash of your account "
        "and this survey, stored apart from the ballots and never linked to them.\n"
        "• Unfinished progress is kept only so you can resume, and deleted when you submit or cancel.\n"
        "• The group leader sees only totals, updated once every {min_group} ballots; groups of fewer "
        "than {group_min} people (a category of respondents, say) are never shown separately."
    )
    BEGIN = "Start"
    RESUMED = "Welcome back: carrying on where you left off."
    BACK = "⬅ Back"
    DONE_CHOICES = "Done ✔ ({chosen}/{limit})"
    SKIP_TEXT = "Skip"
    KEEP_TEXT = "Keep and continue"
    CLEAR_TEXT = "Leave empty, skip"
    SUBMIT = "✅ Submit"
    PROGRESS = "question {step}/{total}"
    PICK_ONE = "Choose one:"
    PICK_UP_TO = "Choose 1 to {limit}, then press Done. Selected {chosen}/{limit}"
    TEXT_PROMPT = "Send your suggestion as a text message (at most {limit} characters), or press Skip."
    TEXT_GIVEN = "Your text:\n{text}\n\nTo change it, just send a new message."
    REVIEW_TITLE = "<b>Please check your answers</b> (tap a number to change one, then Submit)"
    REVIEW_NONE = "(none)"
    THANKS = (
        "<b>{unit}</b>\nThank you! Your ballot was submitted anonymously.\n"
        "To protect anonymity your answers are no longer shown here."
    )
    ENDED_FOR_PARTICIPANT = "<b>{unit}</b>\nThis evaluation has ended and takes no more ballots."
    ALREADY_TAKEN_PART = "You have already taken part in the evaluation of <b>{unit}</b>. Thank you!"
    NEEDS_SLIP = (
        "The evaluation of <b>{unit}</b> takes one ballot per slip. Scan the QR code on your slip, "
        "or send me its code (like K7M2Q-9XH4P-R3TVC)."
    )
    LINK_INVALID = "This link is not valid. Scan the QR code shown in the room or ask the group leader."
    NO_SURVEY = "To take part, scan the QR code shown in the room or open the link from the group leader."
    SLIP_WRONG = (
        "That slip code is not right: check it and send it again (like K7M2Q-9XH4P-R3TVC). "
        "Once an evaluation has ended its codes no longer work."
    )
    SLIP_USED = "This slip has already been used (<b>{unit}</b>): each slip works once."
    SLIP_ENDED = "The evaluation of <b>{unit}</b> has ended; its slips no longer work."
    LEADER_NOTHING_PENDING = (
        "Nothing is waiting for your text. You can /open a unit, see the /tally, /score, /write the "
        "feedback or make the /report; /help lists every command."
    )
    CANCELLED = "Your unfinished ballot was discarded. Open the link again to start over."
    NOTHING_TO_CANCEL = "You have no unfinished ballot."
    USE_BUTTONS = "Please answer with the buttons under the survey message."
    EDITED_IGNORED = (
        "Editing a sent message changes nothing saved. To change your suggestion, send a new message."
    )
    GROUP_CHAT = "To keep answers anonymous the evaluation only runs in a private chat with this bot."
    ANSWER_SAVED = "Saved"
    ANSWER_STALE = "This button is out of date: carry on in the newest survey message."
    ANSWER_TOO_MANY = "At most {limit} choices. Unselect one first to change."
    ANSWER_NONE_CHOSEN = "Choose at least one."
    ANSWER_UNKNOWN = "Unknown button; nothing was changed."
    ANSWER_ENDED = "This evaluation has ended and takes no more ballots."
    ANSWER_SUBMITTED = "Submitted. Thank you!"
    ANSWER_ALREADY = "You have already submitted; one ballot per person."
    ANSWER_NO_DRAFT = "No progress found: please open the survey link again."
    ANSWER_INCOMPLETE = "Question {number} is unanswered."
    ANSWER_TEXT_TOO_LONG = (
        "Suggestions are limited to {limit} characters (yours has {length}). Nothing was saved; "
        "please shorten it and send it again."
    )
    ANSWER_NOT_ALLOWED = "You are not allowed to do that."
    ANSWER_UP_TO_DATE = "Already up to date."
    ANSWER_SLOW_DOWN = "Too fast: please wait a moment."
    ANSWER_REFRESHED = "Refreshed."
    NOT_A_LEADER = "This command is for inspection group leaders."
    NOT_AN_ADMIN = "This command is for the county office's administrators."
    OPEN_USAGE = (
        "<b>Open a unit</b> (tap an example to copy it)\n"
        "• With ballot slips (one each): /open unit name count. I make a PDF of slips to print, cut, "
        "shuffle and hand out; each slip works once. For example: <code>/open {example} 40</code>\n"
        "• With a link: /open unit name [headcount人]. I reply with a QR code and link for the room's "
        "screen; people scan it and answer anonymously. With a headcount the tally shows "
        "received/expected. For example: <code>/open {example} 25人</code>"
    )
    OPEN_RECENT = "\n\nYour recent units:\n{units}"
    UNIT_TOO_LONG = "Unit names are limited to {limit} characters."
    UNIT_CLOSED_FINAL = (
        "The evaluation of <b>{unit}</b> ended on {month}/{day} at {time}; its result is final: {ballots} "
        "ballots, shown below.\nTo evaluate the unit once more, open another round ({next}) with the "
        "button below; it is counted apart from the one that ended."
    )
    NEW_ROUND_BUTTON = "Open {round} ({month}/{day})"
    OPENED = (
        "The evaluation of <b>{unit}</b> is open.{expected}\n\n"
        "Show this QR code on the room's screen; people scan it and answer on their phones:\n{link}\n\n"
        "Those without a phone can fill in the paper form (🖨 to print it); key the forms in with 📝 "
        "or /paper.\n\n"
        "Live tally: /tally　Close: /close"
    )
    EXPECTED = " {expected} people expected."
    SLIPS_OPENED = (
        "The evaluation of <b>{unit}</b> is open to ballot slips only (one each): no link, no poster.\n\n"
        "{status}\n{how}\n\n"
        "Those without a phone can fill in the paper form (🖨 to print it); key the forms in with 📝 "
        "or /paper.\n\n"
        "Live tally: /tally　Close: /close"
    )
    SLIPS_STATUS_NONE = "No slips printed yet."
    SLIPS_STATUS = "Slips printed: <b>{issued}</b>."
    SLIPS_HOW_WEB = (
        "Cut them apart, shuffle them and hand them out face down, one each. People scan the slip's QR "
        "code and answer in the browser (Telegram users scan the small one); each slip works once."
    )
    SLIPS_HOW_TELEGRAM = (
        "Cut them apart, shuffle them and hand them out face down, one each. People scan the slip's QR "
        "code and answer in Telegram, or send me the slip's code; each slip works once."
    )
    SLIPS_PRINT_BUTTON = "🎫 Print slips ({count})"
    SLIPS_MORE_BUTTON = "➕ More slips"
    SLIPS_MORE = "<b>{unit}</b>: {issued} slips printed. How many more?"
    SLIPS_MORE_COUNT = "{count}"
    SLIPS_BACK = "« Back"
    SLIPS_CAPTION = (
        "<b>{unit}</b>: {count} ballot slips (A4, {pages} pages); {issued} printed in all.\n"
        "Cut along the dashed lines, shuffle, hand out face down. The bot keeps no codes, so this file "
        "cannot be made again: do not forward it, delete it once printed; if it is lost, print more."
    )
    ANSWER_SLIPS_PRINTING = "Making the slips…"
    SLIPS_ALREADY_PRINTED = (
        "These slips were printed already (a double tap?): see the PDF above, or print more."
    )
    SLIPS_TOO_MANY = "At most {limit} slips at a time."
    SLIPS_NOT_SLIPS = "<b>{unit}</b> is open with a link: it has no slips."
    SLIPS_NO_FONT = "No Chinese font on this machine: the slips cannot be drawn. Ask the operator."
    SLIPS_LINK_UNIT = (
        "(This unit is open with a link and cannot change to slips; close it and open anew.)\n\n"
    )
    POSTER_CAPTION = "An A4 poster (unit, QR code, link and three steps) to print for the room."
    ALREADY_OPEN = "(This unit is already open; here is its link again.)\n\n"
    ALREADY_OPEN_SLIPS = "(This unit is already open.)\n\n"
    NO_WINDOWS = "You have not opened any unit yet. Start with /open unit name."
    NO_SUCH_UNIT = "You have no unit called “{unit}”. /units lists them."
    NO_SUCH_UNIT_PICK = "No unit is called “{unit}”. {prompt}"
    PICK_UNIT_TALLY = "Which unit's tally?"
    PICK_UNIT_CLOSE = "Which unit do you want to close?"
    PICK_UNIT_CHART = "Which unit's charts?"
    PICK_UNIT_EXPORT = "Which unit do you want to export?"
    PICK_UNIT_SCORE = "Which unit do you want to score (Annex 1)?"
    PICK_UNIT_REPORT = "Which unit's results?"
    PICK_UNIT_WRITE = "Which unit's feedback do you want to write?"
    PICK_UNIT_PAPER = "Which open unit's paper forms do you want to key in?"
    PAPER_BRAND = "Keying a paper form"
    PAPER_INTRO = (
        "<b>{unit}</b>: keying in paper forms\n\n"
        "People who will not use a phone can fill in the paper form; you key each collected form in "
        "and it is counted with the phones' ballots.\n"
        "• Press what the form shows, question by question: the same questions and rules as on a phone; "
        "at most 3 on a 限选三项 row.\n"
        "• A row ticked more than allowed (two on a single-choice row, four on a 限选三项 row) or not "
        "at all: press ✖ to key it as spoiled. It counts for no option of that item; the rest counts.\n"
        "• Copy the suggestion as a message, or press Skip. Check, then 录入此份, then the next form.\n\n"
        "🔒 Keyed forms are stored like any ballot: not who keyed them, nor in which order. "
        "Shuffle the pile before keying."
    )
    PAPER_BEGIN = "📝 Start keying"
    PAPER_COUNTS_LINE = "\n\n📄 Paper forms: {issued} handed out · {invalid} invalid"
    PAPER_COUNTS_BUTTON = "🧮 Paper forms handed out / invalid"
    PAPER_COUNTS = (
        "<b>{unit}</b>: paper form counts\n\n"
        "Handed out: <b>{issued}</b> (paper forms given out at the keying desk; part of 共发放)\n"
        "Invalid: <b>{invalid}</b> (returned wholly unreadable and not keyed; returned, not valid)\n\n"
        "Press as forms go out or come back; a wrong press is undone with −1."
    )
    PAPER_ISSUED_ADD = "Handed out +{count}"
    PAPER_INVALID_ADD = "Invalid +1"
    PAPER_ISSUED_UNDO = "Handed out −1"
    PAPER_INVALID_UNDO = "Invalid −1"
    PAPER_BACK = "« Back to keying"
    ANSWER_PAPER_COUNTED = "{issued} handed out · {invalid} invalid"
    ANSWER_PAPER_COUNT_MOVED = (
        "The counts had just changed (a double tap?): {issued} handed out · {invalid} invalid"
    )
    PAPER_INVITE_BUTTON = "👥 Invite a group member to key"
    PAPER_INVITE = (
        "Send this link to the group member who helps key in (one person; it lapses when the unit "
        "closes):\n{link}\n\nThey key in the paper forms of <b>{unit}</b> in their own chat with the bot."
    )
    PAPER_JOINED = "You were invited to key in this unit's paper forms.\n\n"
    NOT_A_KEYER = "This command is for group leaders and the members they invited to key in paper forms."
    PAPER_FORM_BUTTON = "🖨 Blank paper form"
    PAPER_KEY_BUTTON = "📝 Key in paper forms"
    PAPER_FORM_CAPTION = (
        "<b>{unit}</b>: the paper form (Annex 2, A4) for those who will not use a phone. Key the "
        "collected forms in with /paper."
    )
    PAPER_REVIEW_TITLE = "<b>Check against the paper form</b> (tap a number to change one, then 录入此份)"
    PAPER_SUBMIT = "✅ Key in this form"
    PAPER_NEXT = "📝 Next form"
    PAPER_KEYED = (
        "<b>{unit}</b>\nOne paper form keyed in: it is counted anonymously with the phones' ballots.\n"
        "Take the next form and press Next form; stop when the pile is done."
    )
    ANSWER_PAPER_KEYED = "Keyed in"
    SPOIL = "✖ Spoiled row (too many ticks, or none)"
    SPOILED_NOTE = "(keyed as spoiled; press an option to key an answer instead)"
    REVIEW_SPOILED = "(spoiled)"
    ANSWER_PAPER_TOO_MANY = (
        "At most {limit}. If the form has {more} or more ticks on this row, press ✖ (spoiled)."
    )
    ANSWER_NOT_KEYER = "You cannot key in paper forms for this unit."
    NOTHING_OPEN = "You have no open unit."
    CONFIRM_CLOSE = (
        "Close the evaluation of <b>{unit}</b>? It will take no more ballots and cannot be reopened.\n"
        "Ballots received: {ballots}"
    )
    CONFIRM_CLOSE_BUTTON = "确认结束 (close)"
    CLOSE_KEYING = (
        "\n\n⚠ {count} paper forms are being keyed and not yet stored{review}. Closing now, they can no "
        "longer go in. You may wait until they are keyed: ⏳ Wait shows where they stand."
    )
    CLOSE_KEYING_REVIEW = " ({review} at the review, one press from stored)"
    CLOSE_WAIT_BUTTON = "⏳ Wait"
    KEYER_CLOSING = (
        "The leader is about to close <b>{unit}</b>. The paper form you are keying is not stored yet: "
        "please check it and press 录入此份 soon."
    )
    KEYER_CUT_OFF = (
        "<b>{unit}</b> was closed; the paper form you were keying was not stored and is not counted. "
        "Please hand it to the leader."
    )
    CANCEL_CLOSE_BUTTON = "Cancel"
    REFRESH_BUTTON = "🔄 Refresh"
    CLOSE_BUTTON = "Close"
    CLOSE_KEPT = "Cancelled: <b>{unit}</b> stays open."
    ALREADY_CLOSED = "<b>{unit}</b> is already closed."
    ANSWER_CLOSE_NOT_WRITTEN = (
        "Not closed: the server's disk is full or the database is read-only. Still open, every ballot kept."
    )
    CLOSE_NOT_WRITTEN = (
        "⚠️ <b>{unit}</b> was <b>not closed</b>: the server's disk is full, or the database file is "
        "read-only, so the close could not be written and nothing changed. The unit is still open with "
        "all {ballots} ballots received, and still takes ballots. Ask the server's operator to free disk "
        "space (or restore write access), then press 确认结束 again."
    )
    CLOSED_NOT_REBUILT = (
        "⚠️ <b>{unit}</b> <b>is closed</b> and every ballot is counted in the final results. But the "
        "server's disk is full, the database is read-only, or another program is reading it, so the "
        "clean-up after close (destroying the unit's secret, rebuilding the database file to erase the "
        "traces of arrival order) is not done yet: the bot retries every minute and at every start; do "
        "not copy or back up the database until it is. Ask the server's operator to free disk space."
    )
    UNITS_TITLE = "<b>Your units</b>"
    UNITS_TITLE_ALL = "<b>All units</b> (by leader)"
    UNIT_LINE = "{status} {unit}: {ballots} ballots"
    STATUS_OPEN = "🟢 open"
    STATUS_CLOSED = "⚪ closed"
    CHART_CAPTION = "<b>{unit}</b> charts ({state})"
    CHART_UNAVAILABLE = "No Chinese font is installed here, so no chart can be drawn; see the text tally."
    EXPORT_CAPTION = "<b>{unit}</b> results (final): summary, ballots, suggestions; the ballots as CSV too."
    EXPORT_CAPTION_OPEN = (
        "<b>{unit}</b> summary (open): the ballots, the figures by category and the suggestions come "
        "after close."
    )
    STATE_OPEN = "open"
    STATE_CLOSED = "final"
    TALLY_TITLE_OPEN = "<b>{unit}</b> tally (open)"
    TALLY_TITLE_CLOSED = "<b>{unit}</b> tally (final)"
    WINDOW_OPENED_AT = "Opened {opened}"
    WINDOW_CLOSED_AT = "Opened {opened}, closed {closed}"
    TALLY_RECEIVED = "Ballots received: <b>{ballots}</b>"
    TALLY_COUNTS_SLIPS = (
        "Handed out {issued} ({slips} slips, {paper} paper forms) · returned {returned} · valid {valid}"
    )
    TALLY_COUNTS_PAPER = "Paper forms handed out {paper} · returned {returned} · valid {valid}"
    TALLY_COUNTS_LINK = "Returned {returned} · valid {valid}"
    TALLY_SPLIT = "{ballots} ballots, of which {paper} on paper"
    TALLY_SPLIT_COUNTED = "Of the {ballots} ballots counted, {paper} on paper"
    TALLY_SPOILED = "Spoiled paper rows (too many ticks or none; not counted for the item): {rows}"
    TALLY_SPOILED_ROW = "{prompt} {count}"
    TALLY_ITEM_SPOILED = "spoiled: {count} (not counted for this item)"
    TALLY_RECEIVED_OF = "Ballots received: <b>{ballots}/{expected}</b>"
    TALLY_CHECK_ALL = (
        "Check: is the headcount right; was a paper form keyed twice, or did someone answer by phone and "
        "on paper; did someone answer from several accounts, or did the link reach people outside the unit?"
    )
    TALLY_OVER_EXPECTED = (
        "⚠️ {ballots} ballots received, more than the {expected} people expected. " + TALLY_CHECK_ALL
    )
    TALLY_OVER_SPLIT = (
        "⚠️ {ballots} ballots received ({phones} by phone, {paper} keyed from paper), more than the "
        "{expected} people expected. "
    )
    TALLY_OVER_PHONES = (
        "The phones alone are more than expected: someone may have answered from several accounts, or the "
        "link reached people outside the unit; check the headcount too."
    )
    TALLY_OVER_PAPER = (
        "The phones are not more than expected; the extra came on paper: check whether a form was keyed "
        "twice or someone answered by phone and on paper, and the headcount."
    )
    TALLY_FROZEN = (
        "⚠️ {ballots} ballots received, more than the {room} people expected: {figures} (the final "
        "results after close count every ballot). Extra ballots can be used to work out one person's "
        "answers. " + TALLY_CHECK_ALL
    )
    TALLY_FROZEN_SLIPS = (
        "⚠️ {ballots} ballots received, more than the {room} slips and paper forms handed out: {figures} "
        "(the final results after close count every ballot). Extra ballots can be used to work out one "
        "person's answers; check what was handed out."
    )
    FROZEN_FIGURES = "the figures stay at the first {counted} ballots until close"
    FROZEN_NO_FIGURES = "to protect anonymity no figures are shown until close"
    TALLY_BATCHED = (
        "Figures below cover the first {counted} ballots (updated every {min_group}; the newest batch "
        "and the figures by respondent category come after close)."
    )
    TALLY_HIDDEN = "Fewer than {min_group} ballots: option counts are not shown, to protect anonymity."
    TALLY_HIDDEN_OPEN = (
        "To protect anonymity an open tally always holds the newest batch ({min_group} ballots) back "
        "until close: option counts appear from {first} ballots on."
    )
    TALLY_FAVOURABLE = "Favourable rate (满意率): <b>{rate}</b>"
    TALLY_BY_CATEGORY = "By respondent category:"
    TALLY_COMBINED = "{groups} (combined) {rate}"
    TALLY_TOO_SMALL = "By respondent category: every category is too small to be shown apart (anonymity)."
    TALLY_COMBINED_HINT = "(small categories are counted together: ❓ says why)"
    COMBINED_BUTTON = "❓ Why combined"
    TALLY_CLOSED_BELOW = "The evaluation of <b>{unit}</b> has ended: the final results follow below."
    TALLY_GROUP_SEPARATOR = " + "
    TALLY_NO_CATEGORY = "{count} of no category (spoiled)"
    TALLY_COMBINED_NOTE = (
        "Categories under {apart}, or with 1 to {below} phone ballots (their keyer has read the paper "
        "forms), are not shown alone but counted together (with the next smallest category too while "
        "together they are under {apart} or have 1 to {below} phone ballots; forms whose 参评对象 row is "
        "spoiled do not count): any {colluders} people who subtract their own ballots from their group's "
        "rate are left with {min_group} or more. Categories get one rate each (all items pooled), no "
        "figure per item or option."
    )
    TALLY_ITEM_RATE = "favourable {rate}"
    TALLY_RANKED = "Most chosen first:"
    SUGGESTIONS_TITLE = "<b>{unit}</b> suggestions ({count}, in random order)"
    NO_SUGGESTIONS = "(none)"
    INVITE_CREATED = (
        "Leader invite (one person, valid for {hours} hours, until {expires}):\n{link}\n\n"
        "Whoever opens it becomes an inspection group leader."
    )
    INVITE_ACCEPTED = "You are now an inspection group leader.\n\n"
    INVITE_SPENT = "This invite has been used or has expired; ask the county office for a new one."
    LEADERS_TITLE = "<b>Group leaders</b>"
    LEADER_CONFIGURED = "• {official} · {id} (configured)"
    LEADER_INVITED = "• {official} · {name} ({id}), invited {date}"
    LEADER_UNNAMED = "⚠ name not registered"
    NO_LEADERS = "(none yet)"
    REVOKE_USAGE = "Usage: /revoke user id (or send /leaders and press Revoke beside a leader)"
    REVOKE_PICK = "Which leader to revoke? (Invited ones only; configured ones live in SURVEY_LEADERS.)"
    REVOKE_NONE = "No invited leader to revoke (configured ones: change SURVEY_LEADERS and restart)."
    REVOKE_BUTTON = "Revoke {name}"
    REVOKE_CONFIRM = "Revoke <b>{name}</b> ({id}) as a leader? Units they opened are kept."
    REVOKE_CONFIRM_BUTTON = "确认撤销 (revoke)"
    REVOKE_KEPT = "Cancelled: {name} ({id}) is still a leader."
    REVOKED = "{id} is no longer a leader. Units they opened are kept."
    REVOKE_CONFIGURED = "{id} is configured in SURVEY_LEADERS: change the configuration and restart."
    REVOKE_UNKNOWN = "{id} is not an invited leader."
    LIST_SEPARATOR = "; "
    REVIEW_LINE = "{number}. {prompt}: {value}"
    REPORT_SECTION_SCORE = "  {title}: {points}/{max}"
    REPORT_TOP_ITEM = "{label} ({count})"
    SUMMARY_BAND = "{band} {count}"
    SUMMARY_BAND_SEPARATOR = ", "
    SCORE_BRAND = "Score sheet (Annex 1)"
    SCORE_PROGRESS = "item {step}/{total}"
    SCORE_SUBTOTAL = "{section}: this section {points}/{max} · total {total}"
    SCORE_ITEM = "<b>{prompt}</b> (max {max})"
    SCORE_PICK = "Choose the points:"
    SCORE_BACK = "⬅ Previous item"
    SCORE_REVIEW = "<b>{unit}</b> score sheet (Annex 1)"
    SCORE_REVIEW_HINT = "Tap an item number to change it; then Finalise. A finalised sheet cannot change."
    SCORE_SECTION_LINE = "{title}: <b>{points}</b>/{max}"
    SCORE_ITEM_LINE = "  {number}. {text}: {points}/{max}"
    SCORE_TOTAL = "Total: <b>{total}</b>/100　Grade: <b>{grade}</b>"
    SCORE_TOTAL_OPEN = "Total: <b>{total}</b>/100 ({missing} items not scored yet)"
    SCORE_FINALISE = "📝 Finalise"
    SCORE_CONFIRM = (
        "Finalise the score sheet of <b>{unit}</b>? Total {total}, grade {grade}. "
        "It cannot change afterwards."
    )
    SCORE_CONFIRM_BUTTON = "确认定稿 (finalise)"
    SCORE_FINALISED = "Finalised on {at} by {name}."
    SCORE_ALREADY_FINAL = "This score sheet is finalised and cannot change."
    SCORE_INCOMPLETE = "{missing} items are not scored yet; the sheet cannot be finalised."
    SCORE_NOT_YOURS = "Only the leader who opened the unit can score it."
    ME_USAGE = (
        "Usage: /me name group\nFor example: /me 张三 第一检查组\n\n"
        "Score sheets, unit reports and the county summary then name you this way instead of "
        "by your Telegram name."
    )
    ME_CURRENT = "Your registered name and group: <b>{label}</b>\nTo change it: /me name group"
    ME_SET = "Registered: <b>{label}</b>. Finalised sheets, reports and the county summary will use it."
    ME_TOO_LONG = "Names are limited to {name} characters and groups to {group}."
    ME_NEEDED = (
        "Before finalising, register your real name and group: /me name group (e.g. /me 张三 第一检查组)."
    )
    UNREGISTERED = "{name} (name not registered)"
    LEADERS_UNNAMED = "Leaders who have not registered a name and group with /me: {count}"
    REPORT_TITLE = "<b>{unit}</b> inspection results (for the feedback meeting)"
    REPORT_SCORE_NONE = "Score sheet: not started"
    REPORT_SCORE_DRAFT = "Score sheet (draft): {total}/100, {missing} items not scored yet"
    REPORT_SCORE = "Score sheet: <b>{total}</b>/100, grade <b>{grade}</b>{state}"
    REPORT_SCORE_STATE_DRAFT = " (draft)"
    REPORT_SURVEY = "Evaluation: {received} ballots, favourable rate <b>{rate}</b>{state}"
    REPORT_SURVEY_OPEN = " (still open: complete batches but the newest)"
    REPORT_TOP_IMPROVE = "Most in need of improvement (top three): {items}"
    REPORT_TOP_RISKS = "Most prominent risks (top three): {items}"
    REPORT_SUGGESTIONS = "Suggestions: {count} (in the document)"
    REPORT_CAPTION = "<b>{unit}</b> feedback report (a Word document, ready to print or forward)"
    REPORT_CAPTION_DRAFT = (
        "<b>{unit}</b> feedback report, <b>draft</b> (a Word document to check, not to forward)"
    )
    REPORT_DRAFT = "⚠ <b>This is a draft</b>: not to print or forward. Still to do:"
    REPORT_DRAFT_AGAIN = "Then press 📄 Make again for the final feedback report."
    REPORT_AGAIN_BUTTON = "📄 Make again"
    REPORT_BUTTON = "📄 Make the feedback report"
    REPORT_MISSING_SCORE_NONE = "· the score sheet is not started"
    REPORT_MISSING_SCORE_UNFINISHED = "· {missing} items of the score sheet are not scored"
    REPORT_MISSING_SCORE_DRAFT = "· the score sheet is not finalised"
    REPORT_MISSING_WRITINGS_DRAFT = "· the strengths, shortcomings and improvements are not finalised"
    REPORT_MISSING_SURVEY_OPEN = "· the evaluation is still open (/close {unit})"
    REPORT_MISSING_UNREGISTERED = (
        "· your name is not registered: send /me name group (e.g. /me 张三 第一检查组)"
    )
    REPORT_SCORE_BUTTON = "Score"
    REPORT_WRITE_BUTTON = "Write the feedback"
    REPORT_SUGGESTIONS_LATER = "Suggestions: available once the evaluation is closed"
    SUMMARY_TITLE = "<b>County summary</b> ({count} units)"
    SUMMARY_LINE = "{unit} | {leader} | {ballots} ballots{paper} | favourable {rate} | {score}"
    SUMMARY_PAPER = ", {paper} on paper"
    SUMMARY_BANDS = "Grades: {bands}"
    SUMMARY_NO_SCORE = "not scored"
    SUMMARY_CAPTION = "County summary (sort or filter by any column)"
    NOTE_BUTTON = "📝 Reason/photos"
    NOTE_REASON_MARK = "　reason: {reason}"
    NOTE_REASON_MISSING = "　⚠ no reason for lost points"
    NOTE_PHOTOS_MARK = "　📷 {count}"
    NOTE_PROMPT = (
        "<b>{unit}</b> · reason and photos\n{number}. {text}\nPoints: {points}/{max}\n\n"
        "Reason now: {reason}\nPhotos: {photos}"
    )
    NOTE_ASK = (
        "Send the reason for lost points (at most {limit} characters), and any photos from the on-site "
        "check. Press Done to leave it."
    )
    NOTE_NONE = "(none)"
    NOTE_DONE = "Done ➡"
    NOTE_SAVED = "Reason recorded."
    NOTE_SAVED_HINT = "Send this item's photos if any; Done goes back to the sheet."
    NOTE_EDIT_REASON = "✎ Edit the reason"
    NOTE_PHOTO_ADDED = "Photo attached: {count} on this item. Send more, or the reason; Done goes back."
    NOTE_PHOTO_ADDED_AFTER = "Photo attached to item {number} “{text}”: {count} on it."
    NOTE_LOCKED = "The score sheet is finalised: reasons and photos no longer change."
    NOTES_NOT_YOURS = "Only the leader who opened the unit can write its notes."
    TEXT_TOO_LONG = "At most {limit} characters (yours has {length}). Nothing was saved; please shorten it."
    SECTION_TITLES: ClassVar[dict[str, str]] = {
        "strengths": "肯定成绩 (strengths)",
        "shortcomings": "存在不足 (shortcomings)",
        "improvements": "改进意见 (improvements)",
        "practice": "好经验好做法 (good practice)",
    }
    WRITE_TITLE = "<b>{unit}</b> feedback: the leader's sections"
    WRITE_LINE = "<b>{section}</b>: {text}"
    WRITE_EMPTY = "(empty)"
    WRITE_ASK = "Send “{section}” (at most {limit} characters; paragraphs welcome). Skip leaves it."
    WRITE_SKIP = "Skip ➡"
    WRITE_EDIT = "✎ {section}"
    WRITE_FINALISE = "📝 Finalise"
    WRITE_CONFIRM = (
        "Finalise the feedback text of <b>{unit}</b>? You can reopen it until the feedback is final; "
        "after that only a county admin can."
    )
    WRITE_CONFIRM_EMPTY = "Not written yet: {sections}. Finalised, the feedback leaves them empty."
    WRITE_CONFIRM_BUTTON = "确认定稿 (finalise)"
    WRITE_NOTHING_WRITTEN = (
        "None of the four sections is written: nothing to finalise. Please write them first."
    )
    WRITE_REOPEN = "✎ Reopen to edit"
    WRITE_REOPENED = "Reopened: finalise again once edited."
    WRITE_REOPEN_ASK_ADMIN = "The feedback is final. To change this text, ask a county admin to reopen it."
    WRITE_REOPENED_LINE = "Reopened {at} by {who} (finalised {was})"
    WRITE_BY_ADMIN = "a county admin"
    WRITE_BY_LEADER = "the leader"
    WRITE_REOPENED_BY_ADMIN = (
        "A county admin reopened the feedback text of <b>{unit}</b>: /write {unit} to edit it, then "
        "finalise again."
    )
    WRITE_FINAL = "Final. Press 📄 Make the feedback report for the feedback document of <b>{unit}</b>."
    WRITE_LOCKED = "The feedback text is final and no longer changes."
    GROUP_USAGE = "Usage: /groupreport group name\nRegistered groups: {groups}"
    GROUP_PICK = "Which group's summary report? (Or send /groupreport group name.)"
    GROUP_NOT_FOUND = "No units found for the group “{group}”."
    GROUP_CAPTION = "<b>{group}</b> summary report (a Word document, {count} units)"
    GROUP_CONCLUSIONS_BUTTON = "✎ Conclusions"
    GROUP_ASK = "Send the group's conclusions (at most {limit} characters).\nNow: {text}"
    GROUP_SAVED = "Conclusions saved. Press 📄 Make the report again for a report with them."
    GROUP_AGAIN_BUTTON = "📄 Make the report again"
    HELP_PARTICIPANT = (
        "This bot runs the democratic evaluation of integrity-risk prevention work.\n"
        "Scan the QR code shown in the room, or open the link from the group leader, and answer with "
        "the buttons. Ballots are anonymous.\n/cancel discards an unfinished ballot"
    )
    HELP_LEADER = (
        "Leader commands:\n"
        "/open unit count — open a unit with ballot slips (one each) to print\n"
        "/open unit [headcount人] — open a unit with a link and QR code\n"
        "/tally [unit] — live tally\n"
        "/close [unit] — close; final tally, charts and workbook\n"
        "/chart [unit] — charts\n"
        "/export [unit] — Excel and CSV\n"
        "/score [unit] — the Annex 1 score sheet\n"
        "/report [unit] — the unit's results\n"
        "/units — my units\n"
        "/write [unit] — the feedback's written sections\n"
        "/groupreport — your group's summary report\n"
        "/me name group — your real name and group (for finalised sheets and reports)\n"
        "/paper [unit] — key in paper forms, or print a blank one"
    )
    HELP_ADMIN = (
        "Admin commands:\n/invite — leader invite link\n/leaders — list leaders (with Revoke)\n"
        "/revoke — remove an invited leader"
    )
    COMMANDS_PARTICIPANT: ClassVar[dict[str, str]] = {
        "start": "Start / about",
        "cancel": "Discard an unfinished ballot",
        "help": "Help",
    }
    COMMANDS_LEADER: ClassVar[dict[str, str]] = {
        "open": "Open a unit: /open name count (slips) or /open name (link)",
        "tally": "Live tally",
        "close": "Close a unit",
        "chart": "Charts",
        "export": "Excel / CSV export",
        "score": "Annex 1 score sheet",
        "report": "A unit's results",
        "write": "Feedback text",
        "groupreport": "Group summary report",
        "units": "My units",
        "paper": "Key in paper forms",
        "me": "Your name and group: /me name group",
        "help": "Help",
        "cancel": "Discard an unfinished ballot",
    }
    COMMANDS_ADMIN: ClassVar[dict[str, str]] = {
        "summary": "County summary",
        "groupreport": "Group report",
        "units": "All units",
        "tally": "Tally",
        "chart": "Charts",
        "export": "Excel / CSV export",
        "invite": "Leader invite link",
        "leaders": "List leaders",
        "revoke": "Remove a leader",
        "help": "Help",
    }
    ERROR_GENERIC = "Sorry, something went wrong; please try again. Saved answers are not lost."
    STORAGE_FAILED = (
        "Sorry, the server cannot save right now; please try again later. Saved answers are kept."
    )


HELP_ADMIN_SEPARATOR = "\n\n"

ZH = Texts()
EN = EnglishTexts()


def texts_for(language_code: str | None) -> Texts:
    """Return the English catalogue for English-speaking users, else the Chinese one."""
    if language_code and language_code.lower().startswith("en"):
        return EN
    return ZH


def by_language(language: str) -> Texts:
    """Return the catalogue stored under a language tag ('zh' or 'en')."""
    return EN if language == EN.language else ZH


def html(text: str) -> str:
    """Return text typed by a person (a unit's name, a leader's name) made safe for HTML messages."""
    return escape(text, quote=False)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _english_day(moment: datetime, zone: ZoneInfo) -> str:
    at = local(moment, zone)
    text = f"{at.day} {_MONTHS[at.month - 1]}"
    return text if at.year == local(now(), zone).year else f"{text} {at.year}"


def when(t: Texts, moment: datetime, zone: ZoneInfo) -> str:
    """Return a moment as the reader says it: 12月8日 15:20 (Beijing unsaid), or 8 Dec 15:20 Beijing time."""
    if t is not EN:
        return spoken(moment, zone)
    name = zone_name(moment, zone)
    label = "Beijing time" if name == BEIJING else offset_label(moment, zone)
    return f"{_english_day(moment, zone)} {local(moment, zone):%H:%M} {label}"


def on_day(t: Texts, moment: datetime, zone: ZoneInfo) -> str:
    """Return the local date as the reader says it: 12月8日, or 8 Dec."""
    return spoken_day(moment, zone) if t is not EN else _english_day(moment, zone)
