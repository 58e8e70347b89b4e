/// Go's `text/tabwriter` as kubectl's describers use it (left-aligned, padded with spaces): cells end at a tab, and
/// a column is as wide as its widest cell among the consecutive lines that have one, plus `padding`. A line with
/// fewer cells ends the column's block, so each block aligns on its own (the paths under each host of an Ingress).
enum TabWriter {
    static func format(_ lines: [String], padding: Int = 2, minWidth: Int = 0) -> [String] {
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var output = [String](repeating: "", count: lines.count)
        var widths: [Int] = []
        format(cells, from: 0, to: cells.count, widths: &widths, padding: padding, minWidth: minWidth, into: &output)
        return output
    }

    private static func format(
        _ cells: [[String]], from start: Int, to end: Int, widths: inout [Int], padding: Int, minWidth: Int,
        into output: inout [String]
    ) {
        let column = widths.count
        var blockStart = start
        var line = start
        while line < end {
            // A tab-terminated cell in this column starts a block of lines that all have one.
            guard column < cells[line].count - 1 else {
                line += 1
                continue
            }
            write(cells, from: blockStart, to: line, widths: widths, into: &output)
            blockStart = line
            var width = minWidth
            while line < end, column < cells[line].count - 1 {
                width = max(width, cells[line][column].count + padding)
                line += 1
            }
            widths.append(width)
            format(
                cells, from: blockStart, to: line, widths: &widths, padding: padding, minWidth: minWidth, into: &output)
            widths.removeLast()
            blockStart = line
        }
        write(cells, from: blockStart, to: end, widths: widths, into: &output)
    }

    private static func write(
        _ cells: [[String]], from start: Int, to end: Int, widths: [Int], into output: inout [String]
    ) {
        for index in start..<end {
            var text = ""
            for (column, cell) in cells[index].enumerated() {
                text += cell
                if column < widths.count { text += String(repeating: " ", count: max(0, widths[column] - cell.count)) }
            }
            output[index] = text
        }
    }
}
