import Foundation

/// A bounded hand-over of batches from one producing thread to the thread that consumes them,
/// in order. The consumer may cancel (it failed): the producer's next `send` returns false.
///
/// Example:
/// ```swift
/// try BatchChannel<[Int]>.pipeline(capacity: 8, produce: { channel in
///     for n in 0..<10 { guard channel.send([n]) else { return } }
/// }, consume: { batch in print(batch) })
/// ```
final class BatchChannel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Element] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Hands `element` over, waiting while the channel is full; false once cancelled.
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(element)
        condition.broadcast()
        return true
    }

    /// No more elements will be sent.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, waiting for one; nil when the producer has finished and all are taken.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while queue.count == head && !finished && !cancelled { condition.wait() }
        if queue.count == head { return nil }
        let element = queue[head]
        head += 1
        if head >= 64 && head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// Stops the producer at its next `send` and drops what is queued.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `produce` on a thread of its own and `consume` on this one for every element, in
    /// order; returns when both are done. `meanwhile` runs on this thread first, while the
    /// producer fills the channel. An error from `meanwhile` or `consume` cancels the producer,
    /// waits for it to stop, and is rethrown.
    static func pipeline(
        capacity: Int, produce: @escaping @Sendable (BatchChannel<Element>) -> Void,
        meanwhile: () throws -> Void = {}, consume: (Element) throws -> Void
    ) throws {
        let channel = BatchChannel<Element>(capacity: capacity)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            produce(channel)
            channel.finish()
            done.signal()
        }
        thread.stackSize = 1 << 22
        thread.start()
        do {
            try meanwhile()
            while let element = channel.receive() { try consume(element) }
        } catch {
            channel.cancel()
            done.wait()
            throw error
        }
        done.wait()
    }
}
