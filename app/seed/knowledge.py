"""Demo knowledge base (articles with revisions, links to tickets) and the expert pool."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import ArticleStatus, Expert, KnowledgeArticle, Ticket, TicketKnowledgeLink, TicketStatus

# title, problem, symptoms, solution, product, model, tags, revised solution (None: never edited)
ARTICLES = [
    ("接收站天线伺服告警", "地面接收站天线无法跟踪卫星", "伺服告警灯常亮；跟踪曲线跳变；接收中断",
     "重启伺服控制器，按手册校准天线零位后重新加载轨道根数", "遥感卫星地面接收站", "RS-3000", "天线,伺服,跟踪",
     "先检查伺服电源与编码器线缆，再重启伺服控制器并校准零位；仍告警时更换伺服驱动板"),
    ("GNSS 基准站卫星数偏少", "基准站可见卫星数少于 8 颗", "定位精度下降；差分数据中断",
     "检查天线周边遮挡与馈线接头，更新接收机固件并启用北斗三号信号", "GNSS 基准站接收机", "GS-200", "GNSS,北斗,固件", None),
    ("数据处理服务器磁盘阵列降级", "RAID 阵列状态降级", "管理口告警；处理任务变慢",
     "确认故障盘位，热插拔更换同型号硬盘并等待阵列重建完成", "数据处理服务器", "DL380", "服务器,RAID,硬盘", None),
    ("影像存储阵列容量告警", "存储阵列可用空间低于 10%", "入库任务失败；告警邮件",
     "清理临时切片目录，按归档策略将一年前的原始影像迁移至离线存储", "影像存储阵列", "NAS-8T", "存储,容量,归档",
     "清理临时切片目录并执行归档脚本；同时在监控中设置 80% 预警阈值"),
    ("UPS 电池自检失败", "不间断电源自检报告电池故障", "蜂鸣告警；后备时间不足 5 分钟",
     "检查电池组连接与内阻，更换老化电池组并重新自检", "不间断电源", "UPS-10K", "UPS,电池,供电", None),
    ("无人机图传信号中断", "航测飞行中图传频繁中断", "地面站画面卡顿；遥控距离缩短",
     "检查天线安装方向，切换至干扰较小的信道并升级图传固件", "航测无人机", "UAV-M6", "无人机,图传,干扰", None),
    ("工作站影像软件启动崩溃", "图像处理软件启动即退出", "弹出显卡驱动错误；日志显示 OpenGL 初始化失败",
     "卸载旧版显卡驱动，安装厂商认证版本驱动后重启", "图像处理工作站", "WS-15", "软件,显卡,驱动", None),
    ("接收站数据记录不完整", "过境任务记录文件缺帧", "帧同步丢失告警；影像条带",
     "检查解调器门限设置与时钟同步，重新配置记录通道缓存", "遥感卫星地面接收站", "RS-3000", "解调,帧同步,记录", None),
    ("基准站网络中断", "基准站无法上传观测数据", "数据中心收不到实时流；网口灯不亮",
     "检查交换机端口与光模块，更换故障光模块并恢复数据转发", "GNSS 基准站接收机", "GS-200", "网络,光模块", None),
    ("服务器风扇噪声大过热", "服务器运行噪声大并报过热", "风扇满转；CPU 温度超过 85℃",
     "清理机箱和滤网灰尘，检查机房空调，必要时更换风扇模组", "数据处理服务器", "DL380", "服务器,散热,除尘", None),
    ("用户忘记处理软件授权激活步骤", "更换工作站后软件提示未授权", "许可证校验失败",
     "在授权管理工具中释放旧机许可证，按新机硬件指纹重新申请激活码", "图像处理工作站", "WS-15", "授权,许可证,操作", None),
    ("影像产品坐标偏移", "正射影像与底图偏差数十米", "控制点残差大",
     "核对投影与基准面参数，重新导入控制点并执行区域网平差", "遥感卫星地面接收站", "RS-3000", "坐标,投影,平差", None),
]


DRAFTS = {"影像产品坐标偏移", "用户忘记处理软件授权激活步骤"}


EXPERTS = [
    ("周立新", "省遥感信息中心", "卫星地面站系统与天线伺服", "13808710001", None),
    ("吴海燕", "测绘科学研究院", "GNSS 基准站与北斗高精度定位", "13808710002", None),
    ("郑国强", "设备厂商技术部", "RS-3000 接收站硬件维修", "400-800-3000", None),
    ("钱晓东", "高校遥感学院", "遥感影像处理与几何校正", "13808710004", None),
    ("孙建华", "数据中心运维公司", "服务器与存储系统", "13808710005", None),
    ("李明", "本部门", "遥感数据处理、网络与故障分析", "13900000002", "tech"),
]








def seed_knowledge(rng: random.Random, people: dict, start: date) -> str:
    """Experts, articles (some revised once), and links from closed tickets to articles."""
    known = set(db.session.scalars(sa.select(Expert.name)))
    for name, org, field, contact, login in EXPERTS:
        if name not in known:
            staff = people.get(login) if login else None
            db.session.add(Expert(name=name, organisation=org, expertise=field, contact=contact,
                                  staff_id=staff.id if staff else None, active=True))
    titles = set(db.session.scalars(sa.select(KnowledgeArticle.title)))
    added = 0
    for n, (title, problem, symptoms, solution, product, model, tags, revised) in enumerate(ARTICLES):
        if title in titles:
            continue
        status = ArticleStatus.draft if title in DRAFTS else ArticleStatus.published
        article = KnowledgeArticle(
            title=title, problem=problem, symptoms=symptoms, solution=solution, product=product,
            equipment_model=model, tags=tags, author_id=people["tech" if n % 3 else "field1"].id, status=status,
            created_at=clock.from_local(datetime.combine(start + timedelta(days=9 * n), datetime.min.time())),
        )
        db.session.add(article)
        db.session.flush()
        if revised:
            article.solution = revised  # the flush keeps revision 1 in the history
            db.session.flush()
        added += 1
    links = _link_tickets(rng, people)
    return f"Knowledge base: {added} articles added, {links} ticket links; {len(EXPERTS)} experts."


def _link_tickets(rng: random.Random, people: dict) -> int:
    """Closed hardware tickets solved with an article (only when the ticket seed has made tickets)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(TicketKnowledgeLink)):
        return 0
    articles = db.session.scalars(
        sa.select(KnowledgeArticle).where(KnowledgeArticle.status == ArticleStatus.published)
        .order_by(KnowledgeArticle.id)).all()
    tickets = db.session.scalars(
        sa.select(Ticket).where(Ticket.status == TicketStatus.closed).order_by(Ticket.id).limit(12)).all()
    for ticket in tickets:
        article = rng.choice(articles)
        db.session.add(TicketKnowledgeLink(ticket_id=ticket.id, article_id=article.id,
                                           revision=article.revision, used_by_id=ticket.assignee_id))
    return len(tickets)
