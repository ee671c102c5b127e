// Package reproduce regenerates the figures and tables of every experiment for one preset
// into a folder, and writes a Markdown report (REPORT.md) whose sections and table rows name
// the command and preset that produced them. `closure reproduce --preset NAME` calls Run.
//
// Each experiment is a Section: a function that computes its results, saves its figures
// under the section's folder and returns Markdown. A section that fails is reported in the
// report with its error, and the others still run.
package reproduce
