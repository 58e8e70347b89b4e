/// A text table aligned the way kubectl's tab writer aligns it: left-aligned, three spaces between columns.
public struct Table: Sendable, Hashable {
    /// The header cells.
    public var columns: [String]
    /// The rows; each has one cell per column.
    public var rows: [[String]]

    /// Creates a table.
    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The lines of the table, the header first unless `headers` is false. `get` pads with three spaces and
    /// a minimum width of 6; `describe` with two spaces and no minimum, as kubectl's tab writers do.
    public func lines(headers: Bool = true, padding: Int = 3, minWidth: Int = 6) -> [String] {
        let all = (headers ? [columns] : []) + rows
        var widths = [Int](repeating: 0, count: columns.count)
        // Widths take the header into account even when it is not printed, so watch rows line up with it.
        for row in [columns] + rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return all.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    let width = max(widths[index] + padding, minWidth)
                    line += cell + String(repeating: " ", count: max(0, width - cell.count))
                }
            }
            return line
        }
    }

    /// The table as text, one line per row, ending with a newline.
    public func render(headers: Bool = true) -> String {
        lines(headers: headers).map { $0 + "\n" }.joined()
    }
}
