import XCTest
@testable import InceptionCore
