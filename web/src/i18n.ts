import { createSignal } from 'solid-js';

/**
 * Every word the web app shows goes through `t(key)`. English is the reference dictionary: its
 * keys are the message keys, and every other language must have all of them (the type-check
 * says so). `{name}` placeholders are filled from `t`'s second argument.
 */
const en = {
  'app.name': 'Milepost',
  'app.tagline': 'Points and rewards for truck drivers',
  'app.skipToMain': 'Skip to main content',
  'app.loading': 'Loading…',
  'app.pageTitle': '{page} · Milepost',

  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',
  'nav.signingOut': 'Signing out…',
  'nav.account': 'Your account',
  'lang.label': 'Language',

  'role.driver': 'Driver',
  'role.partner_staff': 'Partner staff',
  'role.committee': 'Committee member',
  'role.integration': 'Integration account',

  'home.title': 'Home',
  'home.greeting': 'Hello, {name}',
  'home.intro.driver': 'As a driver, this is where you will:',
  'home.intro.partner_staff': 'As partner staff, this is where you will:',
  'home.intro.committee': 'As a committee member, this is where you will:',
  'home.intro.integration': 'This is a machine account: it posts safety records through the API and has nothing to do here.',
  'home.comingSoon': 'Coming soon',
  'home.driver.shop.title': 'Shop',
  'home.driver.shop.body':
    'Spend your points on vehicle repair, driver training and inspections at partner garages, schools and stations.',
  'home.driver.points.title': 'Points and rating',
  'home.driver.points.body':
    'See your balance, your credit rating (AAA, AA, A) and what you need for the next grade.',
  'home.driver.earn.title': 'Earn points',
  'home.driver.earn.body': 'Claim volunteering hours and report road problems.',
  'home.partner.desk.title': 'Desk',
  'home.partner.desk.body': 'Confirm or reject the vouchers that drivers show you.',
  'home.partner.statement.title': 'Statement',
  'home.partner.statement.body': 'See every redemption you have confirmed.',
  'home.committee.console.title': 'Console',
  'home.committee.console.body':
    'Set the reward rules and the rating policy, verify claims and reports, manage partners and offers.',
  'home.committee.reports.title': 'Reports',
  'home.committee.reports.body':
    'Points issued, redeemed and outstanding, the rating distribution and the audit log.',
  'home.account.title': 'Your account',
  'home.account.phone': 'Phone',
  'home.account.plateNumber': 'Plate number',
  'home.guest.title': 'Points and rewards for truck drivers',
  'home.guest.earn':
    'Milepost turns safe driving, volunteering and reports of road problems into points.',
  'home.guest.spend':
    'Spend them on vehicle repair, driver training and inspections at partner garages, schools and stations. A better credit rating earns bigger discounts.',
  'home.guest.signIn': 'Sign in',
  'home.guest.register': 'New driver? Create an account',

  'field.phone': 'Phone number',
  'field.password': 'Password',
  'field.name': 'Your name',
  'field.plateNumber': 'Plate number',
  'field.newPassword': 'Choose a password',
  'field.newPasswordHint': 'At least 10 characters.',
  'field.plateNumberHint': 'As on your vehicle, for example 粤B·12345.',

  'login.title': 'Sign in',
  'login.intro': 'Use the phone number you signed up with.',
  'login.submit': 'Sign in',
  'login.pending': 'Signing in…',
  'login.noAccount': 'No account yet?',
  'login.registerLink': 'Sign up as a driver',
  'login.already': 'You are signed in as {name}.',
  'login.goHome': 'Go to home',

  'register.title': 'Sign up as a driver',
  'register.intro':
    'Partner staff and committee members get their accounts from the programme committee.',
  'register.submit': 'Create account',
  'register.pending': 'Creating account…',
  'register.haveAccount': 'Already have an account?',
  'register.signInLink': 'Sign in',

  'error.summaryTitle': 'There is a problem',
  'error.unreachable': "Can't reach Milepost. Check your connection and try again.",
  'error.unexpected': 'Something went wrong on our side (error {status}). Please try again soon.',
  'error.generic': 'Something went wrong: {message}',
  'error.tooManyAttempts': 'Too many attempts. Please wait a little and try again.',
  'error.retryAfterSeconds': 'You can try again in {seconds} seconds.',
  'error.retryAfterMinutes': 'You can try again in about {minutes} minutes.',
  'error.tryAgain': 'Try again',
  'error.pageTitle': 'Milepost could not load this page',

  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'notFound.home': 'Go to home',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
type Dictionary = Record<MessageKey, string>;

const zhCN: Dictionary = {
  'app.name': 'Milepost',
  'app.tagline': '货车司机的积分与权益平台',
  'app.skipToMain': '跳到主要内容',
  'app.loading': '加载中…',
  'app.pageTitle': '{page} · Milepost',

  'nav.signIn': '登录',
  'nav.signOut': '退出登录',
  'nav.signingOut': '正在退出…',
  'nav.account': '我的账户',
  'lang.label': '语言',

  'role.driver': '司机',
  'role.partner_staff': '合作单位员工',
  'role.committee': '委员会成员',
  'role.integration': '系统对接账号',

  'home.title': '首页',
  'home.greeting': '{name}，您好',
  'home.intro.driver': '作为司机，您将在这里：',
  'home.intro.partner_staff': '作为合作单位员工，您将在这里：',
  'home.intro.committee': '作为委员会成员，您将在这里：',
  'home.intro.integration': '这是系统对接账号：它通过接口上报安全记录，在此页面没有可用的功能。',
  'home.comingSoon': '即将推出',
  'home.driver.shop.title': '积分商城',
  'home.driver.shop.body': '在合作修理厂、驾校和检测站，用积分兑换车辆维修、驾驶培训和车辆检测服务。',
  'home.driver.points.title': '积分与信用等级',
  'home.driver.points.body': '查看积分余额、信用等级（AAA、AA、A），以及升到下一等级还需要什么。',
  'home.driver.earn.title': '赚取积分',
  'home.driver.earn.body': '申报志愿服务时长，上报道路问题。',
  'home.partner.desk.title': '核销台',
  'home.partner.desk.body': '确认或拒绝司机出示的兑换券。',
  'home.partner.statement.title': '对账单',
  'home.partner.statement.body': '查看您已确认的全部兑换记录。',
  'home.committee.console.title': '管理后台',
  'home.committee.console.body': '设置积分规则和信用评级政策，审核申报与上报，管理合作单位和优惠。',
  'home.committee.reports.title': '报表',
  'home.committee.reports.body': '积分的发放、兑换与余额，信用等级分布，以及审计日志。',
  'home.account.title': '我的账户',
  'home.account.phone': '手机号',
  'home.account.plateNumber': '车牌号',
  'home.guest.title': '货车司机的积分与权益平台',
  'home.guest.earn': '安全驾驶、志愿服务和上报道路问题，都能在 Milepost 换成积分。',
  'home.guest.spend':
    '在合作修理厂、驾校和检测站，用积分兑换车辆维修、驾驶培训和车辆检测服务。信用等级越高，优惠越多。',
  'home.guest.signIn': '登录',
  'home.guest.register': '新司机？注册账号',

  'field.phone': '手机号',
  'field.password': '密码',
  'field.name': '姓名',
  'field.plateNumber': '车牌号',
  'field.newPassword': '设置密码',
  'field.newPasswordHint': '至少 10 个字符。',
  'field.plateNumberHint': '与车辆号牌一致，例如 粤B·12345。',

  'login.title': '登录',
  'login.intro': '请使用注册时的手机号登录。',
  'login.submit': '登录',
  'login.pending': '正在登录…',
  'login.noAccount': '还没有账号？',
  'login.registerLink': '注册司机账号',
  'login.already': '您已以 {name} 的身份登录。',
  'login.goHome': '返回首页',

  'register.title': '司机注册',
  'register.intro': '合作单位员工和委员会成员的账号由项目委员会开通。',
  'register.submit': '创建账号',
  'register.pending': '正在创建账号…',
  'register.haveAccount': '已有账号？',
  'register.signInLink': '登录',

  'error.summaryTitle': '出现了问题',
  'error.unreachable': '无法连接 Milepost，请检查网络后重试。',
  'error.unexpected': '服务器出了问题（错误 {status}），请稍后再试。',
  'error.generic': '出现错误：{message}',
  'error.tooManyAttempts': '尝试次数过多，请稍等片刻再试。',
  'error.retryAfterSeconds': '{seconds} 秒后可以再试。',
  'error.retryAfterMinutes': '大约 {minutes} 分钟后可以再试。',
  'error.tryAgain': '重试',
  'error.pageTitle': 'Milepost 无法加载此页面',

  'notFound.title': '找不到页面',
  'notFound.body': '没有地址为 {path} 的页面。',
  'notFound.home': '返回首页',
};

export const dictionaries = { en, 'zh-CN': zhCN } satisfies Record<string, Dictionary>;
export type Language = keyof typeof dictionaries;

/** What the language switcher offers; each name is written in its own language. */
export const languageNames: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

const storageKey = 'milepost.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(dictionaries, value);
}

// localStorage can throw (storage disabled, private mode); the app then simply forgets the choice.
function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(storageKey);
    return isLanguage(value) ? value : 'en';
  } catch {
    return 'en';
  }
}

const [language, setLanguageSignal] = createSignal<Language>(storedLanguage());
document.documentElement.lang = language();

export { language, isLanguage };

export function setLanguage(next: Language): void {
  setLanguageSignal(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not remembered across visits; the switch still applies now.
  }
}

/** The text for `key` in the chosen language. Reactive: read inside JSX it follows a switch. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[language()][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
