// 推荐（统计与精准服务；docs/statistics.md "Recommendations"）的中文文本，展开到 zh-CN.js。
// vue-i18n 把 { } @ $ | 当作语法：普通文本中避免使用。
export default {
  recommend: {
    nav: '为您推荐',
    title: '为您推荐',
    intro: '平台根据贵单位自身的不符合项、自评、测验、有效性评价、投诉与评价等事实给出推荐，每条都说明原因。',
    card: '为您推荐',
    forEnterprise: '平台对该企业的推荐',
    why: '原因：',
    none: '暂无推荐。',
    failed: '推荐暂时无法读取。',
    all: '查看全部 {n} 条推荐',
    kinds: { course: '课程', activity: '活动', action: '行动' },
  },
};
