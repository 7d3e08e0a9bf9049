// Chinese (zh-CN) texts of the web UI: the default language.
// vue-i18n treats { } @ $ | as syntax in messages: avoid them in plain text.
export default {
  app: {
    name: '贯标',
    fullName: '贯标认证公共服务平台',
  },
  nav: {
    home: '首页',
    password: '修改密码',
    menu: '菜单',
    signIn: '登录',
    signOut: '退出登录',
    otherLang: 'English',
    otherLangTitle: 'Switch to English',
    mainNav: '主导航',
  },
  roles: {
    public: '访客',
    enterprise: '企业',
    body: '认证机构',
    regulator: '监管部门',
    admin: '平台管理员',
  },
  home: {
    welcome: '欢迎，{name}',
    organisation: '所属单位：{name}',
    offersHeading: '平台为您提供（陆续开放）',
    public: {
      title: '贯标认证公共服务平台',
      intro: '全国企业知识产权管理体系（GB/T 29490）贯标认证服务平台：学习、选择认证服务、记录合规、检验成效。',
      offers: [
        '证书查询：核验知识产权管理体系认证证书的真伪与当前状态',
        '认证机构一览：浏览认证机构公开的服务承诺与服务评价',
        '学习资源：课程目录、政策解读与通知公告',
      ],
      signInHint: '企业、认证机构与监管部门用户请登录后使用更多功能。',
    },
    enterprise: {
      title: '企业工作台',
      offers: [
        '在线学习 GB/T 29490 课程与测验，获得结业证明',
        '对照标准逐条自评，记录内部审核、不符合项与纠正措施',
        '填报年度知识产权指标，查看贯标前后的成效评价',
        '比较认证机构的服务承诺，选择机构，服务结束后评价',
        '参加学习交流活动与交流论坛',
      ],
    },
    body: {
      title: '认证机构工作台',
      offers: [
        '发布服务承诺：认证范围、成效核查内容、审核人日、价格区间、周期与响应时间',
        '管理认证业务，记录外部审核与成效核查',
        '颁发、暂停、撤销证书，跟踪监督审核',
        '对企业评价作出一次公开回复',
      ],
    },
    regulator: {
      title: '监管工作台',
      region: '辖区：{region}',
      national: '全国',
      offers: [
        '发布课程、政策解读与学习交流活动',
        '审核服务评价与投诉',
        '登记地方政策，用公平竞争审查工具检查',
        '查看学习、认证、成效与评价统计并导出',
      ],
    },
    admin: {
      title: '平台管理',
      offers: [
        '管理用户账户',
        '维护标准条款、指标等目录',
        '平台设置',
      ],
    },
  },
  login: {
    title: '登录',
    login: '账号',
    password: '密码',
    submit: '登录',
    loginRequired: '请输入账号',
    passwordRequired: '请输入密码',
    retryIn: '{n} 秒后可重试',
  },
  password: {
    title: '修改密码',
    current: '当前密码',
    new: '新密码',
    repeat: '再次输入新密码',
    submit: '保存',
    done: '密码已修改。',
    currentRequired: '请输入当前密码',
    newTooShort: '新密码至少 {n} 个字符',
    repeatMismatch: '两次输入的新密码不一致',
  },
  notFound: {
    title: '页面不存在',
    text: '您访问的页面不存在或已被移动。',
    back: '返回首页',
  },
  errors: {
    network: '无法连接服务器，请稍后再试。',
    unexpected: '服务器返回了意外的响应（{status}）。',
  },
};
