/** Every URL the public shell owns: the home page and the pages about the service. */
export const sitePaths = {
  home: '/',
  aboutTheData: '/about-the-data',
  privacy: '/privacy',
  cookies: '/cookies',
  accessibilityStatement: '/accessibility-statement',
} as const
