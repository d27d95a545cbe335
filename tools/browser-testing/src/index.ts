export { type ConsoleProblem, type ConsoleProblems, collectConsoleProblems } from './console-problems.js';
export { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, type LaunchChromiumOptions, launchChromium } from './launch-chromium.js';
