"""Every string the browser form shows around the form itself, in Chinese.

The form's own wording (title, sections, items, options) is not here: it comes verbatim from
conversations/annex2.py, the same questionnaire object the bot uses.
"""

from __future__ import annotations

from typing import Final

BRAND: Final = "民主测评"
LANGUAGE: Final = "zh-CN"

# entering a slip's code
START_TITLE: Final = "请输入测评码"
START_HINT: Final = (
    "测评码印在您领到的测评码纸条上，共 15 位字母和数字（如 K7M2Q-9XH4P-R3TVC），不区分大小写。"
)
START_SCAN: Final = "也可以用手机扫描纸条上的二维码直接进入。"
CODE_LABEL: Final = "测评码"
ENTER: Final = "进入测评"
WRONG_CODE: Final = "测评码无效。请核对纸条上的测评码后重新输入。"
TOO_MANY_TRIES: Final = "尝试过于频繁，请稍候一分钟再试。"
NO_COOKIE: Final = "未能识别您的测评码，请重新输入。如反复出现此提示，请在浏览器设置中允许保存 Cookie。"
PLEASE_AGAIN: Final = "页面已过期，请再点一次。"

# the welcome page
FORM_INTRO: Final = "共 {count} 题，约需 3 分钟。可随时点“上一题”修改，提交前还能逐题检查。"
ANONYMITY_TITLE: Final = "匿名说明"
ANONYMITY: Final = (
    "测评码随机生成，打乱后当场发放，系统不知道哪张测评码发给了谁。",
    "答卷只保存所选选项和意见建议，不保存测评码、姓名、手机信息、网络地址、提交时间或提交顺序；"
    "本系统不记录访问日志。",
    "为防止重复提交，系统只保存由测评码经加密运算得到、无法还原的标记，测评结束时连同密钥一并销毁。",
    "作答进度保存在服务器上，仅用于断点续答：关闭页面或断网后，再次扫码或输入测评码即可接着答；提交后即删除。",
    "组长只能看到汇总统计：每满 {min_group} 份答卷才更新一次，少于 {group_min} 人的群体不单独统计。",
)
BEGIN: Final = "开始作答"
RESUME: Final = "继续作答"

# a step of the form
PROGRESS: Final = "第 {step} / {total} 题"
PICK_ONE: Final = "请点选一项："
PICKED: Final = "已选"
PICK_UP_TO: Final = "可选 1 至 {limit} 项，选好后点“下一题”。"
CHOSEN_COUNT: Final = "已选 {chosen}/{limit}"
TOO_MANY_LIVE: Final = "最多只能选 {limit} 项，请取消一项"
TEXT_HINT: Final = "请填写您的意见建议（不超过 {limit} 字），没有可以不填。"
TEXT_COUNT: Final = "{length}/{limit} 字"
NEXT: Final = "下一题"
TO_REVIEW: Final = "完成，检查答卷"
SAVE_REVISION: Final = "保存修改"
KEEP_REVISION: Final = "不修改，返回检查页"
BACK: Final = "上一题"

# refusals on a step (the form keeps what was sent, so it can be corrected)
NONE_CHOSEN_ONE: Final = "请选择一项。"
NONE_CHOSEN: Final = "请至少选择一项。"
TOO_MANY: Final = "最多只能选 {limit} 项，您选了 {chosen} 项。请取消 {extra} 项后再点“下一题”。未保存本页。"
TEXT_TOO_LONG: Final = "意见建议不能超过 {limit} 字（现为 {length} 字），请精简后再点“下一题”。未保存本页。"
UNKNOWN_OPTION: Final = "无法识别所选内容，未作任何更改。"
STALE: Final = "您的作答已在别处继续（如另一个页面），下面是您当前的进度。"
EXPIRED: Final = "页面已过期，未作更改。请在下面重新操作。"

# the review
REVIEW_TITLE: Final = "请核对您的答卷"
REVIEW_HINT: Final = "点“修改”可更改该题；确认无误后点“提交”。提交后不能再修改。"
REVIEW_NONE: Final = "（未填写）"
REVISE: Final = "修改"
REVISE_ITEM: Final = "修改第 {number} 题"
SUBMIT: Final = "提交答卷"
LIST_SEPARATOR: Final = "；"

# after
THANKS_TITLE: Final = "感谢参加民主测评！"
THANKS: Final = (
    "您的答卷已匿名提交。",
    "为保护匿名，此处不再显示您的答案；这张测评码已经用过，不能再次提交。",
    "现在可以关闭本页。",
)
USED_TITLE: Final = "此测评码已使用"
USED: Final = "每张测评码只能提交一次答卷，这张已经用过。如有疑问，请联系现场工作人员。"
ENDED_TITLE: Final = "测评已结束"
ENDED: Final = "本次民主测评已结束，不再接收答卷。感谢您的关注。"
NOT_FOUND_TITLE: Final = "页面不存在"
NOT_FOUND: Final = "请扫描测评码纸条上的二维码，或在首页输入测评码。"
TO_START: Final = "返回首页"
FAILED_TITLE: Final = "暂时无法处理"
FAILED: Final = "服务器暂时出错，您的作答进度已保存。请稍后刷新页面重试。"
